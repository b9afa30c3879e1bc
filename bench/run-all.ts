/**
 * `npm run bench`: the performance issue's four parts first, each with its targets and its
 * baselines measured in the same run, then every other figure the issues name, then one summary
 * of the four parts.
 */
import { runAlreadySentBench } from "./already-sent.js";
import { bundleFigures, LAMBDA_IMPORT_TARGET_RATIO, runAwsEmulatorBench } from "./aws.js";
import { runChatLatencyBench } from "./chat-latency.js";
import { COLD_START_TARGET_MS, runColdStartBench, scaledColdStartTarget } from "./cold-start.js";
import { PIPELINE_TARGETS, runLeadPipelineBench, scaledPipelineTargets } from "./lead-pipeline.js";
import { RSS_TARGET_MB, runPeakRssBench } from "./peak-rss.js";
import { fixed } from "./support/stats.js";
import { runSweeperBench } from "./sweeper.js";
import { runVisitorsBench } from "./visitors.js";
import { runWidgetSizeBench } from "./widget-size.js";

const met = (ok: boolean) => (ok ? "MET" : "NOT MET");

console.log(`lead-handoff benchmarks | node ${process.version} | ${new Date().toISOString()}\n`);

console.log("# Performance issue, part 1: a burst of visitors\n");
// The burst bench answers its report as lines (it prints only progress, on stderr).
const visitorLines: unknown = await runVisitorsBench();
const visitors = Array.isArray(visitorLines) ? visitorLines.map(String) : [];
for (const line of visitors) console.log(line);

console.log("\n# Performance issue, part 2: the lead path\n");
const pipeline = await runLeadPipelineBench();

console.log("\n# Performance issue, part 3: memory\n");
const rss = await runPeakRssBench();

console.log("\n# Performance issue, part 4: cold start\n");
const cold = await runColdStartBench();
console.log();
const lambda = await bundleFigures();

console.log("\n# Other figures\n");
await runAlreadySentBench();
console.log();
await runChatLatencyBench();
console.log();
await runWidgetSizeBench();
console.log();
await runSweeperBench();
console.log();
await runAwsEmulatorBench();

const t = PIPELINE_TARGETS;
const scaled = scaledPipelineTargets(pipeline.floorMs, pipeline.durableFloorMs);
console.log(`
# Performance issue: the four parts against their targets (figures from this run)
1. burst of visitors: ${visitors.find((l) => l.startsWith("targets")) ?? "(see part 1 above)"}
2. lead path, 3 x 2.5 MB photos: ${fixed(pipeline.noFsyncMs)} ms without the flush (<= ${t.noFsyncMs}: ${met(pipeline.noFsyncMs <= t.noFsyncMs)}; ${fixed(pipeline.noFsyncMs / pipeline.floorMs, 2)}x the floor of ${fixed(pipeline.floorMs)} ms), ${fixed(pipeline.fsyncMs)} ms flushed (<= ${t.fsyncMs}: ${met(pipeline.fsyncMs <= t.fsyncMs)}; ${fixed(pipeline.fsyncMs / pipeline.durableFloorMs, 2)}x the durable floor of ${fixed(pipeline.durableFloorMs)} ms), ${fixed(pipeline.faults, 0)} minor faults per request (< ${t.faults}: ${met(pipeline.faults < t.faults)}); targets scaled to this run's floors: <= ${fixed(scaled.noFsyncMs)} ms ${met(pipeline.noFsyncMs <= scaled.noFsyncMs)}, <= ${fixed(scaled.fsyncMs)} ms ${met(pipeline.fsyncMs <= scaled.fsyncMs)}
3. memory, one email with 10 photos of 8 MB: peak ${fixed(rss.compiledMb, 0)} MB compiled (<= ${RSS_TARGET_MB.compiled}: ${met(rss.compiledMb <= RSS_TARGET_MB.compiled)}), ${fixed(rss.tsxMb, 0)} MB under tsx (<= ${RSS_TARGET_MB.tsx}: ${met(rss.tsxMb <= RSS_TARGET_MB.tsx)}); before ${fixed(rss.beforeMb, 0)} MB (${fixed(rss.compiledMb / rss.beforeMb, 2)}x)
4. cold start: npm start answers /healthz in ${fixed(cold.npmStartMs, 0)} ms (<= ${COLD_START_TARGET_MS}: ${met(cold.npmStartMs <= COLD_START_TARGET_MS)}; scaled to this run's bare Hono, <= ${fixed(scaledColdStartTarget(cold.bareMs), 0)}: ${met(cold.npmStartMs <= scaledColdStartTarget(cold.bareMs))}; ${fixed(cold.npmStartMs / cold.tsxMs, 2)}x the tsx start of ${fixed(cold.tsxMs, 0)} ms, ${fixed(cold.npmStartMs / cold.bareMs, 2)}x bare Hono's ${fixed(cold.bareMs, 0)} ms); Lambda lead-email bundle import ${fixed(lambda.ratio, 2)}x the DynamoDB client alone (< ${LAMBDA_IMPORT_TARGET_RATIO}x: ${met(lambda.ratio < LAMBDA_IMPORT_TARGET_RATIO)})`);
