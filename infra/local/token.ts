import { parseArgs } from 'node:util';
import { dataDir } from './state';
import { loadOrCreateDevKeys, signDevToken } from './jwt';

/** `npm run token -- <userId> [--expires 1h] [--email a@b.c] [--role admin]`: prints a development JWT and nothing else. */
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { expires: { type: 'string', default: '1h' }, email: { type: 'string' }, role: { type: 'string' } },
});
const userId = positionals[0];
if (!userId) {
  console.error('usage: npm run token -- <userId> [--expires 1h] [--email someone@example.com] [--role admin]');
  process.exit(2);
}
const keys = await loadOrCreateDevKeys(dataDir());
const claims = { ...(values.email && { email: values.email }), ...(values.role && { role: values.role }) };
process.stdout.write(`${await signDevToken(keys, userId, { expiresIn: values.expires, claims })}\n`);
