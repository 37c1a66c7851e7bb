import { vendorTrigger } from '../n8n/trigger-node';
import { doDev } from '../vendors/dodev';

export class DoDevPbxTrigger extends vendorTrigger(doDev) {}
