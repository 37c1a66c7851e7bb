import { vendorTrigger } from '../n8n/trigger-node';
import { aircall } from '../vendors/aircall';

export class AircallTrigger extends vendorTrigger(aircall) {}
