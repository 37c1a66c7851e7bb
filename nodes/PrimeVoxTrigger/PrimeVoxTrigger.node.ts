import { vendorTrigger } from '../n8n/trigger-node';
import { primeVox } from '../vendors/primevox';

export class PrimeVoxTrigger extends vendorTrigger(primeVox) {}
