import { availableParallelism, cpus, loadavg } from 'node:os';
import { bundlesBench, ROUNDS as BUNDLE_ROUNDS } from './bundles';
import { connectionsBench, CREATORS as CONNECTED_CREATORS, POSTS_EACH } from './connections';
import { CAMPAIGNS, learningBench, liftBench, pacingBench } from './learning';
import { limiterBench } from './limiter';
import { qualityBench } from './quality';
import { requestTable, measureRequests } from './requests';
import { DUE_POSTS, triggerBench } from './trigger';
import { LATENCY_LABEL, workflowBench } from './workflow';

/**
 * `npm run bench [-- <section>…]`: prints numbers (markdown), asserts none. Every section by
 * default; naming some (e.g. `npm run bench -- workflow`) runs only those.
 */
const REQUEST_ROUNDS = 5;
const SECTIONS = ['bundles', 'requests', 'workflow', 'trigger', 'connections', 'limiter', 'quality', 'learning'] as const;

const named = process.argv.slice(2);
const unknown = named.filter((name) => !(SECTIONS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`Unknown bench section ${unknown.join(', ')}; the sections are ${SECTIONS.join(', ')}.`);
  process.exit(2);
}
const runs = (section: (typeof SECTIONS)[number]) => named.length === 0 || named.includes(section);

const started = performance.now();
console.log('# Crescendo bench\n');
console.log(`- node ${process.version} (${process.execPath})`);
console.log(`- ${availableParallelism()} CPUs: ${cpus()[0]?.model ?? 'unknown'}`);
console.log(`- ${new Date().toISOString()}\n`);

if (runs('bundles')) {
  console.log(
    `## Bundles: cold load + first offline invocation (esbuild as \`cdk synth\` runs it, a fresh node per run, ${BUNDLE_ROUNDS} rounds interleaved with the reference handler, local stack, no Gemini key)\n`,
  );
  console.log(await bundlesBench());
  console.log(
    '\n"cold" bytes are the entry and the chunks it imports statically: what a cold start loads; lazy chunks (the Gemini SDK, the AWS SDK\'s credential providers, a remote image provider) load at their first use. ' +
      'The first invocation runs the sample event of events/ against the local stack, an API route\'s as an authorized call of a creator of its own (the `azp` the stack accepts; a real token for the MCP server): campaign deletion deletes a generated campaign (its media too), POST /assets hands out a presigned POST, most other routes answer 404 and the agents stop at a missing campaign (the "answered" column): the cold path of the handler, not a full run. ' +
      'The docs function also ships swagger-ui-bundle.js and swagger-ui.css beside its bundle, the thumbnail functions the title card font (DejaVuSans-Bold.ttf): not counted.\n',
  );
}

if (runs('requests')) {
  console.log(`## Requests per route (local API Gateway, ${REQUEST_ROUNDS} rounds, one new user each)\n`);
  console.log(requestTable(await measureRequests(REQUEST_ROUNDS)));
  console.log(
    '\nLatency is through the local emulators (in-process handlers, DynamoDB Local), not the cloud. ' +
      '"first" is the first request of a route after its handler module is loaded; DynamoDB requests are those of that first request.\n',
  );
}

if (runs('workflow')) {
  console.log(
    `## Campaign generation: 30 days × 3 platforms × 7 posts/week, offline LLM under the latency model (${LATENCY_LABEL}), workflow vs sequential baseline\n`,
  );
  console.log(`${await workflowBench()}\n`);
}

if (runs('trigger')) {
  console.log(`## Posting trigger: ${DUE_POSTS} posts due in one 15-minute window, 16 shard workers at once (DynamoDB Local)\n`);
  console.log(await triggerBench());
  console.log(
    '\nPer post: the notification PutItem and the conditional UpdateItem to `due` (which also rewrites the GSI1 entry, hence ~3.6 WRU), ' +
      'a GetItem per campaign and a webhook Query per creator (memoized per shard), 1/10 PutEvents. No webhook subscribers: each adds a delivery PutItem, an Invoke and a worker run per post. ' +
      'The re-run is idempotent (nothing notified); DynamoDB Local reports 0 WRU for its failed conditional writes, which the cloud charges (≥ 1 WRU each).\n',
  );
}

if (runs('connections')) {
  console.log(
    `## Connections: ${CONNECTED_CREATORS} creators connected to the local X server, ${POSTS_EACH} auto posts each in one window, published, then imported at 1 h\n`,
  );
  console.log(await connectionsBench());
  console.log(
    '\nRequests are counted by the local X server. Publishing a text post is one `POST /2/tweets` (a token refresh or a reconciliation lookup adds one when they happen). ' +
      "The import makes one batched `GET /2/tweets` per creator and run (≤ 100 ids), so requests per imported post are 1 / the creator's posts due in that run; the daily `GET /2/users/me` per connection comes on top.\n",
  );
}

if (runs('limiter')) {
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
  console.log(`## Rate limiter: GET /campaigns handler with RATE_LIMIT on vs off (DynamoDB Local, load average ${load})\n`);
  console.log(await limiterBench());
  console.log(
    '\nEach sample calls the same handler twice in this process on the same event, once loaded with the limiter off and once on (alternating which goes first); ' +
      '"added" is the per-sample difference, so the Middy `before` with its DynamoDB round trips. In steady state a request spends from the block this container leased ' +
      '(no request), and one in a block leases the next (one conditional UpdateItem); ' +
      "a window's first request has a count refused (no window item yet), reads the user for the tier (GetItem) and opens the window with the first block (a second UpdateItem). " +
      "DynamoDB Local answers over loopback from a JVM on this shared machine, not with the cloud's single-digit-ms in-region latency: read the numbers against the load average.\n",
  );
}

if (runs('quality')) {
  console.log(
    '## Content quality: offline writer, four sample creators, a 30-day and a 14-day campaign each on three platforms, 7 posts a week per platform\n',
  );
  console.log(qualityBench());
  console.log(
    '\n"before" is the offline output captured at a04c7a7 (test/fixtures/content/offline-before.json), "after" today\'s writer on the same plans and seeds. ' +
      "Violations count posts failing the critic's content checks (shared/domain/content-checks.ts) against their campaign; second campaigns are also checked against the first. " +
      "Scores are the offline critic's, capped by the checks.\n",
  );
}

if (runs('learning')) {
  console.log(
    `## Learning: the simulator whose truth is known (${CAMPAIGNS} simulated campaigns per row, production scoring and findings)\n`,
  );
  console.log(learningBench());
  console.log(
    "\nA false lesson claims a difference between arms that carry no planted difference (or the wrong sign); detection counts planted arms with at least the row's posts on both sides. " +
      'docs/architecture.md (*Learning*) explains why detection of ±30 % at 20 posts per arm is out of reach of any test that keeps false lessons rare.\n',
  );
  console.log(pacingBench());
  console.log(liftBench());
}

console.log(`Total bench time: ${((performance.now() - started) / 1000).toFixed(0)} s`);
