namespace Workforce.Storage.Sqlite;

/// <summary>The statements of the work queues (<see cref="SqliteWorkQueues"/>).</summary>
internal static class QueueSql
{
    public const string Insert =
        "INSERT INTO queue_messages (queue, message_id, tenant_id, body, enqueued_at, visible_at, expires_at) " +
        "VALUES ($queue, $messageId, $tenant, $body, $enqueued, $visible, $expires)";

    /// <summary>Receivable candidates in enqueue order; the caller skips the rest past its batch size.</summary>
    public const string Candidates =
        "SELECT seq, message_id, tenant_id, body, enqueued_at, expires_at, delivery_count FROM queue_messages INDEXED BY ix_queue_order " +
        "WHERE queue = $queue AND dead_lettered_at IS NULL AND visible_at <= $now ORDER BY seq LIMIT 64";

    public const string Lock =
        "UPDATE queue_messages SET lock_token = $token, visible_at = $lockedUntil, delivery_count = delivery_count + 1 WHERE seq = $seq";

    public const string DeadLetterBySeq =
        "UPDATE queue_messages SET dead_lettered_at = $now, dead_letter_reason = $reason, dead_letter_description = $description, lock_token = NULL WHERE seq = $seq";

    public const string DeleteBySeq = "DELETE FROM queue_messages WHERE seq = $seq";

    public const string Complete = "DELETE FROM queue_messages WHERE lock_token = $token AND visible_at > $now";

    public const string Abandon = "UPDATE queue_messages SET lock_token = NULL, visible_at = $now WHERE lock_token = $token AND visible_at > $now";

    public const string DeadLetter =
        "UPDATE queue_messages SET dead_lettered_at = $now, dead_letter_reason = $reason, dead_letter_description = $description, lock_token = NULL " +
        "WHERE lock_token = $token AND visible_at > $now";

    /// <summary>Makes every received message receivable again; enqueued_at has passed, so it is visible at once.</summary>
    public const string ReleaseEveryLock =
        "UPDATE queue_messages SET lock_token = NULL, visible_at = enqueued_at WHERE lock_token IS NOT NULL";

    public const string Renew = "UPDATE queue_messages SET visible_at = $lockedUntil WHERE lock_token = $token AND visible_at > $now";

    public const string Counts =
        "SELECT queue, " +
        "SUM(CASE WHEN dead_lettered_at IS NULL AND NOT (lock_token IS NULL AND visible_at > $now) THEN 1 ELSE 0 END), " +
        "SUM(CASE WHEN dead_lettered_at IS NULL AND lock_token IS NULL AND visible_at > $now THEN 1 ELSE 0 END), " +
        "SUM(CASE WHEN dead_lettered_at IS NOT NULL THEN 1 ELSE 0 END) " +
        "FROM queue_messages WHERE ($tenant IS NULL OR tenant_id = $tenant) GROUP BY queue";

    public const string PurgeDeadLetters =
        "DELETE FROM queue_messages WHERE seq IN (SELECT seq FROM queue_messages INDEXED BY ix_queue_dead_letters " +
        "WHERE dead_lettered_at IS NOT NULL AND dead_lettered_at < $before LIMIT $limit)";
}
