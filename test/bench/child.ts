import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Runs a bench module's own main in a fresh node and returns what it printed: the shared DynamoDB
 * client of the bench process keeps the endpoint of the first local stack it talked to, which an
 * earlier section has disposed of.
 */
export async function printedByChild(moduleUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', fileURLToPath(moduleUrl)], {
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'WARN' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}
