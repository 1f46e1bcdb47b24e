/** A portal's owners (the users records can be assigned to), archived ones included. */
export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number;
  userIdIncludingInactive: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  teams: { id: string; name: string; primary: boolean }[];
  type: 'PERSON' | 'QUEUE';
}

export class OwnerStore {
  private readonly owners = new Map<string, Owner>();
  private nextId = 70_000_001;
  private nextUserId = 4_000_001;

  add(input: Partial<Owner> & { email: string }, now: number): Owner {
    const id = input.id ?? String(this.nextId++);
    const userId = input.userId ?? this.nextUserId++;
    const owner: Owner = {
      id,
      email: input.email,
      firstName: input.firstName ?? '',
      lastName: input.lastName ?? '',
      userId,
      userIdIncludingInactive: input.userIdIncludingInactive ?? userId,
      createdAt: input.createdAt ?? now,
      updatedAt: input.updatedAt ?? now,
      archived: input.archived ?? false,
      teams: input.teams ?? [],
      type: input.type ?? 'PERSON',
    };
    this.owners.set(id, owner);
    return owner;
  }

  get(id: string): Owner | undefined {
    return this.owners.get(id);
  }

  byUserId(userId: number): Owner | undefined {
    for (const o of this.owners.values()) if (o.userId === userId) return o;
    return undefined;
  }

  /** Owners in id order. */
  list(): Owner[] {
    return [...this.owners.values()].sort((a, b) => Number(a.id) - Number(b.id));
  }

  archive(id: string, now: number): Owner | undefined {
    const o = this.owners.get(id);
    if (!o) return undefined;
    const archived = { ...o, archived: true, updatedAt: now };
    this.owners.set(id, archived);
    return archived;
  }

  isAssignable(id: string): boolean {
    const o = this.owners.get(id);
    return o !== undefined && !o.archived;
  }
}
