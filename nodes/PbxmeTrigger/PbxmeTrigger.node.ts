import { vendorTrigger } from '../n8n/trigger-node';
import { pbxme } from '../vendors/pbxme';

export class PbxmeTrigger extends vendorTrigger(pbxme) {}
