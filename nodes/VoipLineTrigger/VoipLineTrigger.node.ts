import { vendorTrigger } from '../n8n/trigger-node';
import { voipLine } from '../vendors/voipline';

export class VoipLineTrigger extends vendorTrigger(voipLine) {}
