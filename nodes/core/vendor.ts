/**
 * What a vendor is: data (names, where its fields live, which proof of
 * origin it offers) and two pure functions: authentication is chosen from
 * `proof`, normalization from `rules` and `refine`. The engine does
 * everything else, and every list of vendors derives from the registry.
 */
import type { ProofSource } from './authenticate';
import type { ChallengeSpec, HeaderChallengeSpec } from './challenge';
import type { PbxDirection, PbxEventFields, PbxEventName, PbxFieldName, PbxStatus, PbxTarget } from './event';
import type { Payload } from './paths';
import type { WebhookApi } from './registration';

/** Payload keys (dotted paths allowed) to read a field from: the first non-empty one wins. */
export type FieldSource = string | readonly string[];
export type FieldMap = Partial<Record<PbxFieldName, FieldSource | null>>;

/**
 * How a vendor proves a request came from it: a signature or a token checked
 * against the vendor's own credential type, or (the vendor signs nothing)
 * what the user picks: a URL token, Basic auth or nothing.
 */
export type VendorProof = (Extract<ProofSource, { kind: 'hmacSha256' | 'token' | 'jwtHs256' }> & { credential: string }) | { kind: 'userChosen' };

export interface EventRule {
	event: PbxEventName;
	target?: PbxTarget;
	direction?: PbxDirection;
	status?: PbxStatus;
	/** replaces or (with null) removes entries of the vendor's shared field map */
	fields?: FieldMap;
	/**
	 * The same body can be a second genuine event (the vendor sends neither an
	 * id nor a time that would tell the two apart): never suppressed as a repeat.
	 */
	repeatable?: true;
	/**
	 * the other events `refine` turns this vendor event into (one vendor event
	 * whose payload tells the call's state): the node lists them, and picking
	 * any of them subscribes to this vendor event
	 */
	becomes?: readonly PbxEventName[];
}

/**
 * Values that depend on the payload rather than on the event name alone.
 * An `occurredAt` of null says the event has no time of its own (the item gets the time of receipt).
 * `redundant`: the payload tells only what another event of the vendor already
 * delivers (one fact, one run): it becomes no item and is answered as ignored.
 */
export type Refinement = Partial<PbxEventFields> & { event?: PbxEventName; redundant?: true };

export interface VendorAdapter {
	/** the `vendor` of every item, and the name of its fixtures folder and example workflow */
	id: string;
	displayName: string;
	/** the trigger node's type name; its class and folder are this name capitalized */
	triggerName: string;
	proof: VendorProof;
	/** where the vendor names its event */
	eventField: FieldSource;
	/**
	 * where the vendor's event name carries ids (a resource address with the
	 * account's numbers in it): the rule key the name is read as. The item keeps
	 * the name as sent. Without it: the name in lower case
	 */
	ruleKey?(vendorEvent: string): string;
	/** where the vendor sends an id unique to the event, if it ever does */
	eventIdField?: FieldSource;
	/**
	 * a request header (lower case) that carries the event id where the body has
	 * none: used only when the signature form that verified the request signs it
	 * (SIGNED_HEADERS in authenticate.ts), as the registry test demands
	 */
	eventIdHeader?: string;
	/** how long the vendor's documents say it retries a failed delivery: repeats are recognised that long */
	retryWindowSec?: number;
	/** field map shared by every event of the vendor (`occurredAt`: the event's own time) */
	fields: FieldMap;
	/** keyed by the vendor event name in lower case (vendors mix cases) */
	rules: Readonly<Record<string, EventRule>>;
	/** events only `refine` produces (not named by a rule), for the node's event list */
	extraEvents?: readonly PbxEventName[];
	/**
	 * For a vendor whose event names are not all confirmed: said in the owner's
	 * log (once per event name) when a proven event matches no rule, after what
	 * became of it, so that a different naming shows up at once.
	 */
	unmatchedNotice?: string;
	/** derived values: the second pure function, after the table */
	refine?(payload: Payload, fields: Readonly<PbxEventFields>, vendorEvent: string): Refinement;
	/** a request the vendor sends to check the URL, answered by the pipeline and never an item */
	challenge?: ChallengeSpec;
	/** a request the vendor marks by a header (and sends without a body) to check the URL: answered with the header, never an item */
	headerChallenge?: HeaderChallengeSpec;
	/** the vendor's webhook API: the trigger then registers its own webhook (or, by the user's choice, is set up by hand) */
	webhookApi?: WebhookApi;
	/** the setup notice the node shows: where the URL goes in the vendor's dashboard */
	setupNotice: string;
	/** payload keys only this vendor sends, used to detect the vendor from a payload */
	signatureKeys: readonly string[];
}
