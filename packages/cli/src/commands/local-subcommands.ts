/**
 * The subcommands of `dockmaster local`, in the order they are listed. Kept apart from local.ts so that
 * `dockmaster --help` can name them without loading the local stack (commands load only when they run).
 */
const LOCAL_SUBCOMMANDS = ['up', 'down', 'status', 'scan', 'alerts', 'trigger', 'image'] as const;
type LocalSubcommand = (typeof LOCAL_SUBCOMMANDS)[number];

export { LOCAL_SUBCOMMANDS };
export type { LocalSubcommand };
