use uuid::Uuid;

/// Generates a new record id: a UUIDv7, time-ordered and unguessable.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}
