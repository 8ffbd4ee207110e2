// What bin/faultline.js takes from the CLI, in one module: the bundle's entry (bin/build.js).
export { main } from "./main.ts";
export { startPoolFor, closeEarlyPool } from "./early-pool.ts";
