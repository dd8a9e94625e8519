export { owningTeam } from './owning-team.js';
