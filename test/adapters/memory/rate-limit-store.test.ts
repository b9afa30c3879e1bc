import { createMemoryRateLimitStore } from "../../../src/adapters/memory/rate-limit-store.js";
import { runRateLimitStoreContract } from "../../contracts/rate-limit-store.contract.js";

runRateLimitStoreContract("memory", async () => ({
  store: createMemoryRateLimitStore(),
  async teardown() {},
}));
