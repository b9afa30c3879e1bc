import { createSqliteLeadStore } from "../../../src/adapters/sqlite/lead-store.js";
import { runLeadStoreContract } from "../../contracts/lead-store.contract.js";
import { sqliteFixture } from "../../support/sqlite.js";

runLeadStoreContract(
  "sqlite",
  sqliteFixture((db) => createSqliteLeadStore({ db })),
);
