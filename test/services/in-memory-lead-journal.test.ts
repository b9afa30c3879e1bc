import { runLeadJournalContract } from "../contracts/lead-journal.contract.js";
import { createInMemoryLeadJournal } from "../support/in-memory-ports.js";

// The console's service tests run over this stand-in: it keeps the port's contract like the adapters.
runLeadJournalContract("in-memory", async () => {
  const journal = createInMemoryLeadJournal();
  return {
    journal,
    async breakWrites() {
      journal.breakWrites();
    },
    async teardown() {},
  };
});
