import { workflowBench } from '/work/wt/wf5/test/bench/workflow';
console.log(await workflowBench());
