// The `dockmaster` command as the benchmark runs it, both through tsx (like bin/dockmaster.mjs) and bundled by
// esbuild (what a packaged CLI would ship): main() and nothing else, so only the command that runs is loaded.
import module from 'node:module';

// V8 code cache on disk (os.tmpdir()/node-compile-cache), as bin/dockmaster.mjs enables it: from the second run
// on, the bundle's modules (zod above all) load without being compiled again. Before the import below, which
// it must see; a static import would be evaluated first.
module.enableCompileCache?.();
const { main } = await import('../../packages/cli/src/main.js');
process.exitCode = await main(process.argv.slice(2));
