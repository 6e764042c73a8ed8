import { availableParallelism, cpus } from 'node:os';
import { bundleTable, measureBundles } from './bundles';
import { requestTable, measureRequests } from './requests';
import { DUE_POSTS, triggerBench } from './trigger';
import { LLM_LATENCY_MS, workflowBench } from './workflow';

/** `npm run bench`: prints numbers (markdown), asserts none. */
const LOAD_RUNS = 15;
const REQUEST_ROUNDS = 5;

const started = performance.now();
console.log('# Crescendo bench\n');
console.log(`- node ${process.version} (${process.execPath})`);
console.log(`- ${availableParallelism()} CPUs: ${cpus()[0]?.model ?? 'unknown'}`);
console.log(`- ${new Date().toISOString()}\n`);

console.log(`## Bundles (esbuild, CrescendoFunction options; load = import of the bundle in a fresh node, ${LOAD_RUNS} runs)\n`);
console.log(bundleTable(await measureBundles(LOAD_RUNS)));
console.log(
  '\nThe docs function also ships swagger-ui-bundle.js and swagger-ui.css next to its bundle (copied by a CDK hook, read at request time): not counted above.\n',
);

console.log(`## Requests per route (local API Gateway, ${REQUEST_ROUNDS} rounds, one new user each)\n`);
console.log(requestTable(await measureRequests(REQUEST_ROUNDS)));
console.log(
  '\nLatency is through the local emulators (in-process handlers, DynamoDB Local), not the cloud. ' +
    '"first" is the first request of a route after its handler module is loaded; DynamoDB requests are those of that first request.',
);
console.log(
  `\n## Campaign generation: 30 days × 3 platforms × 7 posts/week, offline LLM at ${LLM_LATENCY_MS} ms per call (workflow vs sequential baseline)\n`,
);
console.log(await workflowBench());
console.log(`\n## Posting trigger: ${DUE_POSTS} posts due in one 15-minute window, 16 shard workers at once (DynamoDB Local)\n`);
console.log(await triggerBench());
console.log(
  '\nPer post: the notification PutItem and the conditional UpdateItem to `due` (which also rewrites the GSI1 entry, hence ~3.6 WRU), ' +
    'a GetItem per campaign and a webhook Query per creator (memoized per shard), 1/10 PutEvents. No webhook subscribers: each adds a delivery PutItem, an Invoke and a worker run per post. ' +
    'The re-run is idempotent (nothing notified); DynamoDB Local reports 0 WRU for its failed conditional writes, which the cloud charges (≥ 1 WRU each).',
);
console.log(`\nTotal bench time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
