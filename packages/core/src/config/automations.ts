import type { AutomationId } from '../constants.js';
import type { DockmasterConfig } from './schema.js';

/** The kill switch: a paused automation still consumes and logs its events, but takes no action. */
const isAutomationPaused = (config: DockmasterConfig, id: AutomationId): boolean => config.automations?.[id]?.paused ?? false;

export { isAutomationPaused };
