export { AlertChannel, ALERTS_FILE, AlertSink } from './alert-sink.js';
export type { DeliveredAlert } from './alert-sink.js';
export { awsEvent, awsEventTime, createRepositoryApiCallEvent, imageActionEvent, imageScanCompleteEvent, parameterStoreChangeEvent, repositoryArn } from './aws-events.js';
export type { EventOrigin } from './aws-events.js';
export { busNameOf, LocalBus } from './local-bus.js';
export type { BusDelivery, BusName, LocalBusOptions } from './local-bus.js';
export { API_DESTINATION_URL_VARIABLE, LOCAL_ROUTING_KEY, LocalApiDestinations, ROUTING_KEY_VARIABLE } from './api-destination.js';
export type { ApiDestinationDelivery, ApiDestinationOptions } from './api-destination.js';
export { targetInput } from './target-input.js';
