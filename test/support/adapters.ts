import type { VendorAdapter } from '../../nodes/core/adapter';
import { doDev } from '../../nodes/vendors/dodev';
import { pbxme } from '../../nodes/vendors/pbxme';
import { primeVox } from '../../nodes/vendors/primevox';
import { voipLine } from '../../nodes/vendors/voipline';
import type { VendorId } from './fixtures';

export const ADAPTERS: Record<VendorId, VendorAdapter> = {
	dodev: doDev,
	pbxme,
	primevox: primeVox,
	voipline: voipLine,
};
