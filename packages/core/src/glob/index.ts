export { countBraceExpansions, expandBraces } from './braces.js';
export { checkGlob, compileGlob, matchesAnyGlob } from './glob.js';
export type { GlobCheck, GlobSubject } from './glob.js';
