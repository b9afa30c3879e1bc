import { join } from "node:path";
import { createFsBlobStore } from "../../../src/adapters/fs/blob-store.js";
import { runBlobStoreContract } from "../../contracts/blob-store.contract.js";
import { makeTempDir } from "../../support/temp-dir.js";

runBlobStoreContract("fs", async () => {
  const temp = makeTempDir();
  return { store: createFsBlobStore({ root: join(temp.dir, "blobs") }), teardown: async () => temp.remove() };
});
