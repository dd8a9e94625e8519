// dynalite ships no types; only the factory used by the tests is declared.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  type DynaliteOptions = { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; path?: string };

  const dynalite: (options?: DynaliteOptions) => Server;
  export default dynalite;
}
