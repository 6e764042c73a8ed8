import { parseArgs } from 'node:util';
import { devKeysExist, loadOrCreateDevKeys, signDevToken } from './jwt';
import { registeredStacks, resolveDataDir } from './state';

/**
 * `npm run token -- <userId> [--expires 1h] [--email a@b.c] [--role admin]`: prints a development
 * JWT on stdout and nothing else; stderr says which data folder's key pair signed it (the running
 * stack's when CRESCENDO_DATA_DIR is not set), so a token the stack would reject is never silent.
 */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { expires: { type: 'string', default: '1h' }, email: { type: 'string' }, role: { type: 'string' } },
});
const userId = positionals[0];
if (!userId) {
  console.error('usage: npm run token -- <userId> [--expires 1h] [--email someone@example.com] [--role admin]');
  process.exit(2);
}
const choice = resolveDataDir(process.env, registeredStacks());
if ('error' in choice) {
  console.error(choice.error);
  process.exit(2);
}
const created = !devKeysExist(choice.dataDir);
const keys = await loadOrCreateDevKeys(choice.dataDir);
const origin =
  choice.source === 'env'
    ? 'CRESCENDO_DATA_DIR'
    : choice.source === 'running-stack'
      ? `the local stack running at ${choice.apiUrl}`
      : 'no local stack is running: only a stack started on this folder accepts it';
console.error(`Signed with the ${created ? 'new ' : ''}key pair in ${choice.dataDir} (${origin}).`);
const claims = { ...(values.email && { email: values.email }), ...(values.role && { role: values.role }) };
process.stdout.write(`${await signDevToken(keys, userId, { expiresIn: values.expires, claims })}\n`);
