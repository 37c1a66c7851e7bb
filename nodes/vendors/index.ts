/**
 * The registry: the one list of vendors. Trigger nodes, credentials lists,
 * the helper nodes' vendor options, detection, the tools and the tests all
 * derive from it.
 */
import type { VendorAdapter } from '../core/vendor';
import { aircall } from './aircall';
import { dialpad } from './dialpad';
import { doDev } from './dodev';
import { pbxme } from './pbxme';
import { primeVox } from './primevox';
import { quo } from './quo';
import { ringCentral } from './ringcentral';
import { voipLine } from './voipline';
import { zoomPhone } from './zoom-phone';

/**
 * In the order detection tries them: a vendor whose payloads carry keys that
 * identify it better comes before one whose keys others could also send.
 */
export const VENDORS: readonly VendorAdapter[] = [aircall, quo, ringCentral, zoomPhone, doDev, voipLine, dialpad, primeVox, pbxme];

export function vendorById(id: string): VendorAdapter | undefined {
	return VENDORS.find((vendor) => vendor.id === id);
}
