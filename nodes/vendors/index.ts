import type { VendorAdapter } from '../core/adapter';
import { doDev } from './dodev';
import { pbxme } from './pbxme';
import { primeVox } from './primevox';
import { voipLine } from './voipline';

/** Every vendor, in the order detection tries them (signed vendors first). */
export const ADAPTERS: readonly VendorAdapter[] = [doDev, voipLine, primeVox, pbxme];

export function adapterById(id: string): VendorAdapter | undefined {
	return ADAPTERS.find((adapter) => adapter.id === id);
}
