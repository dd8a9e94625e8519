export { CRITICAL_FINDINGS } from './critical-findings.js';
export { COMPLIANT_LABELS, LABELLED_IMAGE_REF, writeDemoImage, writeLabelledImage } from './demo-image.js';
export { renderSummaryTable, runDemoScenario } from './scenario.js';
export type { DemoStack, StepResult } from './scenario.js';
export { inspectImage, pushOciLayout, skopeo } from './skopeo.js';
