// `node --import ./record-imports.mjs`: appends every module URL the process loads to the file
// named by RECORD_IMPORTS_TO, one per line (the hooks run on their own thread, so a file it is).
import { register } from "node:module";

register(new URL("./record-imports-hooks.mjs", import.meta.url));
