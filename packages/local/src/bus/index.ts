export { ALERTS_FILE, AlertSink } from './alert-sink.js';
export type { DeliveredAlert } from './alert-sink.js';
export { awsEvent, awsEventTime, createRepositoryApiCallEvent, imageActionEvent, imageScanCompleteEvent, parameterStoreChangeEvent, repositoryArn } from './aws-events.js';
export type { EventOrigin } from './aws-events.js';
export { busNameOf, LocalBus } from './local-bus.js';
export type { BusDelivery, BusName, LocalBusOptions } from './local-bus.js';
