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
/**
 * `credential`: the credential type holding the secret where the user sets it;
 * none for a vendor whose webhooks only the trigger makes (the secret is the
 * trigger's own, in its static data).
 */
export type VendorProof = (Extract<ProofSource, { kind: 'hmacSha256' | 'token' | 'jwtHs256' }> & { credential?: string }) | { kind: 'userChosen' };

/**
 * One kind of event a vendor sends to an address of its own (a webhook of the
 * node, on its own path, with its own secret), and names only within its kind
 * (or not at all): the path it arrived on, proven by the kind's secret, says
 * what it is, never a guess from its fields.
 */
export interface EventKind {
	/** the node's webhook (its `name` in the description) that receives this kind */
	webhook: string;
	/** the vendor event's name is `<prefix>.<this field's value>`, or `<prefix>` alone where null or the field is empty */
	eventField: FieldSource | null;
	/** unique among the kinds: the keys of the kind's rules begin with it and a dot */
	prefix: string;
	/** how a message names the kind's subscription, lower case: `call`, `SMS` */
	label: string;
}

export interface EventRule {
	event: PbxEventName;
	target?: PbxTarget;
	direction?: PbxDirection;
	status?: PbxStatus;
	/** replaces or (with null) removes entries of the vendor's shared field map */
	fields?: FieldMap;
	/** events `refine` can make of this one instead of `event`: picking one of them subscribes to this vendor event */
	refinesTo?: readonly PbxEventName[];
	/**
	 * The same body can be a second genuine event (the vendor sends neither an
	 * id nor a time that would tell the two apart): never suppressed as a repeat.
	 */
	repeatable?: true;
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
	/** where the vendor names its event (with `kinds`: where the default kind does, for a payload that arrives with no kind) */
	eventField: FieldSource;
	/**
	 * a vendor whose kinds of event arrive each at an address of their own,
	 * keyed by kind; each rule belongs to the kind whose prefix begins its key
	 */
	kinds?: Readonly<Record<string, EventKind>>;
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
