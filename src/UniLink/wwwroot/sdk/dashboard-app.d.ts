// Types for the UniLink dashboard-app SDK (/sdk/dashboard-app.js).

export interface Contact {
  id: number;
  name: string | null;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  thumbnail: string;
  blocked: boolean;
  availability_status: string;
  additional_attributes: Record<string, unknown>;
  custom_attributes: Record<string, unknown>;
  /** unix seconds; absent until the contact was active */
  last_activity_at?: number;
  created_at: number;
}

export interface Agent {
  id: number;
  name: string;
  email: string;
}

/** A file sent with a message; `data_url`/`thumb_url` are signed links valid for an hour (UNILINK_FILE_URL_SECONDS). */
export interface Attachment {
  id: number;
  message_id: number;
  file_type: 'image' | 'audio' | 'video' | 'file';
  account_id: number;
  extension: string | null;
  data_url: string;
  /** "" when there is no thumbnail (anything but an image) */
  thumb_url: string;
  file_size: number;
  width: number | null;
  height: number | null;
}

export interface Message {
  id: number;
  content: string | null;
  inbox_id: number;
  conversation_id: number;
  /** 0 incoming, 1 outgoing, 2 activity, 3 template */
  message_type: 0 | 1 | 2 | 3;
  content_type: string;
  /** sent, delivered, read or failed */
  status: string;
  content_attributes: Record<string, unknown>;
  created_at: number;
  private: boolean;
  source_id: string | null;
  sender?: Record<string, unknown> | null;
  /** present only when the message has files, as the reference */
  attachments?: Attachment[];
}

export interface Conversation {
  id: number;
  uuid: string;
  account_id: number;
  inbox_id: number;
  status: 'open' | 'pending' | 'snoozed' | 'resolved';
  priority: 'low' | 'medium' | 'high' | 'urgent' | null;
  labels: string[];
  custom_attributes: Record<string, unknown>;
  additional_attributes: Record<string, unknown>;
  messages: Message[];
  meta: {
    sender: Contact;
    channel: string;
    assignee?: Record<string, unknown> | null;
    assignee_type?: string | null;
    team?: Record<string, unknown> | null;
    hmac_verified: boolean;
  };
  dataFetched: boolean;
  allMessagesLoaded: boolean;
  [field: string]: unknown;
}

export interface CustomAttributeDefinition {
  id: number;
  attribute_display_name: string;
  attribute_display_type: string;
  attribute_description: string | null;
  attribute_key: string;
  regex_pattern: string | null;
  regex_cue: string | null;
  attribute_values: string[];
  attribute_model: 'conversation_attribute' | 'contact_attribute';
  default_value: unknown;
  created_at: string;
  updated_at: string;
}

export interface AppContext {
  /** Absent for apps beside no conversation: on a contact's page (contact_panel), an app's page (page), background apps. */
  conversation: Conversation;
  /** Absent for page and background apps. */
  contact: Contact | Record<string, never>;
  /** UniLink only, for the placements contact_panel, page and background: the account. */
  account?: { id: number; name: string };
  /** UniLink only: where the app is, for the placements contact_panel, page and background. */
  placement?: 'contact_panel' | 'page' | 'background';
  currentAgent: Agent;
  customAttributes?: CustomAttributeDefinition[];
  theme?: 'light' | 'dark';
  /** UniLink only: an HS256 JWT signed with the app's secret; verify it on your server. */
  token?: string;
}

export type Action =
  | 'insert_reply'
  | 'add_private_note'
  | 'add_labels'
  | 'remove_labels'
  | 'set_custom_attributes'
  | 'assign'
  | 'set_status'
  | 'set_priority'
  | 'send_reply'
  | 'notify'
  | 'open_conversation'
  | 'open_url';

export interface ActionResult {
  event: 'unilink:action-result';
  id: string;
  ok: boolean;
  error: string | null;
}

/** What `request()` sends: `{{settings.NAME}}` anywhere in url, header values and body is filled in on the server. */
export interface HostRequest {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** An https URL on one of the manifest's granted request_domains. */
  url: string;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON (application/json). */
  body?: unknown;
}

export interface HostResponse {
  status: number;
  /** A safe subset: content-type, cache-control, etag, last-modified, location, retry-after, rate-limit headers… */
  headers: Record<string, string>;
  /** The answer as text (at most 1 MiB); secret setting values in it are replaced by "[secret]". */
  body: string;
}

/** What `reply.draft_changed` carries: the reply box's text once the agent pauses typing. */
export interface DraftChange {
  conversation_id: number;
  content: string;
  /** a private note's draft (sent only to apps that see every message) */
  private: boolean;
}

/** The typed events (`{"event":"unilink:event","type":…,"data":…}`), each with its data: the API's record, cut to the app's scopes. */
export interface AppEventMap {
  'message.created': Message;
  'message.updated': Message;
  'conversation.status_changed': Conversation;
  'conversation.assigned': Conversation;
  'conversation.labels_changed': Conversation;
  'conversation.custom_attributes_changed': Conversation;
  'contact.updated': Contact;
  'reply.draft_changed': DraftChange;
  'conversation.switched': Conversation;
}

export type AppEventType = keyof AppEventMap;

export interface AppEventEnvelope<T extends AppEventType = AppEventType> {
  event: 'unilink:event';
  type: T;
  data: AppEventMap[T];
}

/** What a hook's handler gets. */
export interface HookDataMap {
  before_send: { draft: string; private: boolean; conversation: Conversation };
  before_resolve: { conversation: Conversation };
}

export type HookType = keyof HookDataMap;

/** A hook's answer: allow, block with the reason the agent reads, or (before_send) replace the draft with `text`. */
export type HookAnswer =
  | { outcome: 'allow' }
  | { outcome: 'block'; reason: string }
  | { outcome: 'replace'; text: string };

export interface DashboardApp {
  /** UniLink only: answers the hook (granted by the administrator), within its time limit (2 s by default). */
  onHook<T extends HookType>(type: T, handler: (data: HookDataMap[T], type: T) => HookAnswer | Promise<HookAnswer>): () => void;
  /** UniLink only: typed events of that type ('*' for all); subscribes with the host; returns an unsubscribe function. */
  on<T extends AppEventType>(type: T, callback: (data: AppEventMap[T], type: T) => void): () => void;
  on(type: '*', callback: (data: AppEventMap[AppEventType], type: AppEventType) => void): () => void;
  onContext(callback: (context: AppContext) => void): () => void;
  fetchContext(): Promise<AppContext>;
  readonly context: AppContext | null;
  readonly token: string | null;
  /** The exact string of the last appContext (sealed by UniLink with an ES256 context_token), for your server to verify. */
  readonly signedContext: string | null;
  act(action: Action, payload?: Record<string, unknown>): Promise<ActionResult>;
  /** UniLink only: an HTTP request made by the host for the app (see HostRequest). */
  request(request: HostRequest): Promise<HostResponse>;
  resize(height: number): void;
  /** UniLink: closes the app's popover (composer placement); its frame stays, as a closed tab's does. */
  close(): void;
  disconnect(): void;
}

export interface ConnectOptions {
  /** Origins the host dashboard may post from; by default the embedding page's origin. */
  hostOrigins?: string[];
  actionTimeoutMs?: number;
  /** How long request() waits for the host's answer (default 15000 ms). */
  requestTimeoutMs?: number;
}

export function connect(options?: ConnectOptions): DashboardApp;

/** The claims of a verified context token (both kinds carry them). */
export interface ContextTokenClaims {
  iss: string;
  aud: string;
  sub: string;
  account_id: number;
  email: string;
  role: string;
  conversation_id: number;
  contact_id: number | '';
  iat: number;
  nbf: number;
  exp: number;
  /** ES256 context_token only */
  jti?: string;
  /** ES256 context_token only: base64url SHA-256 of the exact `data` text */
  ctx_sha256?: string;
}

export interface JsonWebKey { kty: string; crv: string; x: string; y: string; kid: string; alg?: string; use?: string; }

/** Verifies a sealed appContext message (ES256 `context_token` + SHA-256 of the exact data) against the issuer's JWKS. */
export function verifySignedContext(message: string, options: {
  /** Your UniLink's origin (pinned in your configuration). */
  issuer: string;
  appId: number;
  fetch?: typeof fetch;
  /** Keys to use instead of fetching `${issuer}/.well-known/jwks.json`. */
  keys?: JsonWebKey[];
}): Promise<{ claims: ContextTokenClaims; context: AppContext }>;

/** Verifies the HS256 `data.token` with the app's secret (server side). */
export function verifyContextToken(token: string, options: { secret: string; appId: number }): Promise<ContextTokenClaims>;
