/** Scan alerts go to the repository's owning team; ownership is shared by every automation that notifies. */
export { owningTeam as routeTeam } from '../ownership/index.js';
