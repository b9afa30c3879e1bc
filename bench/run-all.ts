/** `npm run bench`: every figure the issues name, one after the other. */
import { runAlreadySentBench } from "./already-sent.js";
import { runAwsBench } from "./aws.js";
import { runChatLatencyBench } from "./chat-latency.js";
import { runLeadPipelineBench } from "./lead-pipeline.js";
import { runPeakRssBench } from "./peak-rss.js";
import { runSweeperBench } from "./sweeper.js";
import { runVisitorsBench } from "./visitors.js";
import { runWidgetSizeBench } from "./widget-size.js";

console.log(`lead-handoff benchmarks | node ${process.version} | ${new Date().toISOString()}\n`);
await runLeadPipelineBench();
console.log();
await runAlreadySentBench();
console.log();
await runPeakRssBench();
console.log();
await runChatLatencyBench();
console.log();
await runVisitorsBench();
console.log();
await runWidgetSizeBench();
console.log();
await runSweeperBench();
console.log();
await runAwsBench();
