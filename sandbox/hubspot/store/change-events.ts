/** What the store tells the webhook emitter after a write. */
import type { ObjectType } from './object-types';

export interface ChangeSource {
  /** HubSpot's `changeSource`: `INTEGRATION` for API writes, `CRM_UI` for a user, and so on. */
  changeSource: string;
  /** For an app's writes, the app id; for a user's, `userId:<id>`. */
  sourceId?: string;
}

export type ChangeEvent =
  | { kind: 'creation'; objectType: ObjectType; portalId: number; id: string; at: number; source: ChangeSource }
  | { kind: 'propertyChange'; objectType: ObjectType; portalId: number; id: string; at: number; source: ChangeSource; name: string; value: string | null }
  | { kind: 'deletion'; objectType: ObjectType; portalId: number; id: string; at: number; source: ChangeSource }
  | { kind: 'restore'; objectType: ObjectType; portalId: number; id: string; at: number; source: ChangeSource }
  | { kind: 'merge'; objectType: ObjectType; portalId: number; id: string; at: number; source: ChangeSource; primaryId: string; mergedIds: string[] };
