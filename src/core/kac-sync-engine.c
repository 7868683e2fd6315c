/* kac-sync-engine.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One "round" at a time: take a batch of due outbox entries (the store marks them in flight),
 * send it, apply the answer in one transaction, and go on until nothing is due; then pull the
 * status changes page by page. Every way a request can end brings its entries back to the
 * store (applied, rejected or released), so nothing is left in flight but across a crash, and
 * the store puts those back at open.
 *
 * The engine owns its timers (backoff, network-back delay, polling) and its cancellable; all
 * of them end in kac_sync_engine_stop() and dispose. The async callbacks hold a reference to
 * the engine, so they never see a freed one.
 */
#define G_LOG_DOMAIN "kac-sync-engine"

#include "config.h"

#include "kac-sync-engine.h"
#include "kac-sync-engine-private.h"

#include "kac-http-client.h"
#include "kac-store-materials.h"
#include "kac-wire.h"

#include <glib/gi18n-lib.h>

#define DEFAULT_BACKOFF_BASE_MS       2000
#define DEFAULT_BACKOFF_MAX_MS        (15 * 60 * 1000)
#define DEFAULT_NETWORK_DELAY_MAX_MS  (30 * 1000)
#define DEFAULT_POLL_INTERVAL_MS      (5 * 60 * 1000)
/* A changes feed that keeps saying "more" is followed at most this many pages per round. */
#define MAX_CHANGE_PAGES_PER_ROUND    1000

#define LAST_SYNC_KEY      "last-sync"
#define CHANGES_SERVER_KEY "changes-server"
/* The server the feeds' cursors belong to. */
#define FEEDS_SERVER_KEY   "feeds-server"

/* The two feeds of issue 4, pulled after the status changes, in this order. */
typedef enum
{
  FEED_MATERIALS,
  FEED_NOTICES,
  N_FEEDS
} Feed;

/* While a feed is fetched again from the beginning (a 410 or another server), this key is set,
 * so that a kill during the resync starts it over: only a resync seen whole in one process
 * knows which cached items the server no longer has. */
static const char * const feed_resync_keys[N_FEEDS] = { "materials-resync", "notices-resync" };
/* The detail of "feed-changed". */
static const char * const feed_names[N_FEEDS] = { "materials", "notices" };
static const char * const feed_cursor_keys[N_FEEDS] = { KAC_STORE_MATERIALS_CURSOR_KEY,
                                                        KAC_STORE_NOTICES_CURSOR_KEY };

G_DEFINE_ENUM_TYPE (KacSyncState, kac_sync_state,
  G_DEFINE_ENUM_VALUE (KAC_SYNC_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (KAC_SYNC_STATE_OFFLINE, "offline"),
  G_DEFINE_ENUM_VALUE (KAC_SYNC_STATE_SYNCING, "syncing"),
  G_DEFINE_ENUM_VALUE (KAC_SYNC_STATE_AUTH_NEEDED, "auth-needed"),
  G_DEFINE_ENUM_VALUE (KAC_SYNC_STATE_TLS_ERROR, "tls-error"),
  G_DEFINE_ENUM_VALUE (KAC_SYNC_STATE_ERROR, "error"))

struct _KacSyncEngine
{
  GObject          parent_instance;

  KacStore        *store;
  GNetworkMonitor *monitor;
  KacHttpClient   *client;        /* made on demand from server_uri and ca_file */

  char            *server_uri;
  char            *ca_file;
  char            *token;
  guint            batch_size;
  guint            current_batch_size;

  KacSyncState     state;
  char            *last_error;
  GDateTime       *last_sync;
  GDateTime       *next_attempt;

  /* The round in progress. */
  GCancellable    *cancellable;
  GPtrArray       *in_flight;     /* KacOutboxEntry being sent, or NULL */
  gboolean         running;
  gboolean         again;         /* another round was asked for during this one */
  gboolean         again_force;
  gboolean         force;         /* this round ignores the entries' schedules */
  gboolean         stopped;
  gboolean         paused;        /* tls-error or a request the server refuses: wait */
  gboolean         gone_restarted;
  guint            change_pages;
  guint            feed_pages;
  gboolean         feed_gone_restarted;
  GHashTable      *feed_seen[N_FEEDS];  /* ids seen during a resync, or NULL */
  GStrv            missing;             /* attachments still to fetch this round */
  guint            missing_next;

  guint            failures;      /* transient failures in a row, for the whole queue */
  guint            timer_id;      /* the next round on its own (backoff, due entries, poll) */
  gboolean         backing_off;
  guint            network_delay_id;
  gboolean         network_available;
  guint            kick_id;       /* a round soon after a save */
  guint            last_n_pending;

  guint            backoff_base_ms;
  guint            backoff_max_ms;
  guint            network_delay_max_ms;
  guint            poll_interval_ms;
  guint            io_timeout;
  guint            request_timeout;
  guint            n_requests;
};

G_DEFINE_FINAL_TYPE (KacSyncEngine, kac_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_NETWORK_MONITOR,
  PROP_SERVER_URI,
  PROP_CA_FILE,
  PROP_TOKEN,
  PROP_BATCH_SIZE,
  PROP_STATE,
  PROP_N_PENDING,
  PROP_N_REJECTED,
  PROP_N_STUCK,
  PROP_LAST_SYNC,
  PROP_NEXT_ATTEMPT,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_AUTH_NEEDED,
  SIGNAL_NOTICE_ARRIVED,
  SIGNAL_MATERIAL_CHANGED,
  SIGNAL_FEED_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_round (KacSyncEngine *self,
                         gboolean       force);
static void flush_next  (KacSyncEngine *self);
static void pull_next   (KacSyncEngine *self);
static void pull_feed   (KacSyncEngine *self,
                         Feed           feed);

const char *
kac_sync_state_get_label (KacSyncState state)
{
  switch (state)
    {
    case KAC_SYNC_STATE_IDLE:
      return C_("sync state", "Up to date");
    case KAC_SYNC_STATE_OFFLINE:
      return C_("sync state", "Offline");
    case KAC_SYNC_STATE_SYNCING:
      return C_("sync state", "Sending");
    case KAC_SYNC_STATE_AUTH_NEEDED:
      return C_("sync state", "Sign-in needed");
    case KAC_SYNC_STATE_TLS_ERROR:
      return C_("sync state", "Server not trusted");
    case KAC_SYNC_STATE_ERROR:
      return C_("sync state", "Sending failed");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* State */

static void
set_state (KacSyncEngine *self,
           KacSyncState   state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);

  if (state == KAC_SYNC_STATE_AUTH_NEEDED)
    g_signal_emit (self, signals[SIGNAL_AUTH_NEEDED], 0);
}

static void
set_last_error (KacSyncEngine *self,
                const char    *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;

  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_next_attempt (KacSyncEngine *self,
                  GDateTime     *next_attempt)
{
  if (self->next_attempt == NULL && next_attempt == NULL)
    return;
  if (self->next_attempt != NULL && next_attempt != NULL &&
      g_date_time_equal (self->next_attempt, next_attempt))
    return;

  g_clear_pointer (&self->next_attempt, g_date_time_unref);
  if (next_attempt != NULL)
    self->next_attempt = g_date_time_ref (next_attempt);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_ATTEMPT]);
}

static void
set_last_sync_now (KacSyncEngine *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_clear_pointer (&self->last_sync, g_date_time_unref);
  self->last_sync = g_date_time_new_now_utc ();
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);

  /* Only for "synced at 12:03" after a restart: a failure to keep it is not worth more
   * than a log line. */
  text = g_date_time_format_iso8601 (self->last_sync);
  if (!kac_store_set_sync_value (self->store, LAST_SYNC_KEY, text, &error))
    g_debug ("Could not keep the time of the last sync: %s", error->message);
}

static gboolean
is_signed_in (KacSyncEngine *self)
{
  return self->server_uri != NULL && self->token != NULL;
}

/* Timers */

static void
clear_timer (KacSyncEngine *self)
{
  g_clear_handle_id (&self->timer_id, g_source_remove);
  self->backing_off = FALSE;
  set_next_attempt (self, NULL);
}

static gboolean
timer_cb (gpointer user_data)
{
  KacSyncEngine *self = user_data;

  gboolean backing_off = self->backing_off;

  self->timer_id = 0;
  self->backing_off = FALSE;
  set_next_attempt (self, NULL);
  /* The end of a whole-queue backoff tries the whole queue. */
  start_round (self, backing_off);

  return G_SOURCE_REMOVE;
}

static void
schedule_round (KacSyncEngine *self,
                guint          delay_ms,
                gboolean       backing_off)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = g_date_time_add (now, (GTimeSpan) delay_ms * 1000);

  clear_timer (self);
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, timer_cb, self, NULL);
  g_source_set_static_name (g_main_context_find_source_by_id (NULL, self->timer_id), "[kac] sync timer");
  self->backing_off = backing_off;
  set_next_attempt (self, backing_off ? when : NULL);
}

/* d(n) = min(max, base · 2^(n−1)); sleep d/2 + random(0, d/2) (PROTOCOL-NOTES.md). */
static guint
backoff_ms (KacSyncEngine *self,
            guint          n)
{
  guint64 d = self->backoff_base_ms;

  for (guint i = 1; i < n && d < self->backoff_max_ms; i++)
    d *= 2;
  d = MIN (d, (guint64) self->backoff_max_ms);

  return (guint) (d / 2 + (guint64) g_random_int_range (0, (gint32) (d / 2) + 1));
}

/* After a round that ended well: the next entry that is due later (a per-entry backoff),
 * else the poll for status changes. */
static void
schedule_after_success (KacSyncEngine *self)
{
  gint64 next_due = 0;
  guint delay_ms = self->poll_interval_ms;

  if (kac_store_outbox_get_next_due (self->store, &next_due))
    {
      gint64 wait = (next_due - g_get_real_time ()) / 1000;

      delay_ms = (guint) CLAMP (wait, 0, (gint64) self->poll_interval_ms);
    }

  schedule_round (self, delay_ms, FALSE);
}

/* Client */

static KacHttpClient *
ensure_client (KacSyncEngine  *self,
               GError        **error)
{
  if (self->client == NULL)
    {
      self->client = kac_http_client_new (self->server_uri, self->ca_file, error);
      if (self->client == NULL)
        return NULL;
      kac_http_client_set_timeouts (self->client, self->io_timeout, self->request_timeout);
    }

  kac_http_client_set_token (self->client, self->token);

  return self->client;
}

/* Ends of a round */

static void
end_round (KacSyncEngine *self)
{
  gboolean again = self->again;
  gboolean force = self->again_force;

  self->running = FALSE;
  self->again = FALSE;
  self->again_force = FALSE;
  self->force = FALSE;

  /* Always true of the store; the age of waiting entries changes "stuck" with time alone. */
  kac_store_get_n_stuck (self->store);

  if (again && !self->stopped)
    start_round (self, force);
}

static void
round_succeeded (KacSyncEngine *self)
{
  self->failures = 0;
  self->paused = FALSE;
  set_last_error (self, NULL);
  set_last_sync_now (self);
  set_state (self, KAC_SYNC_STATE_IDLE);
  if (!self->stopped)
    schedule_after_success (self);
  end_round (self);
}

/* Puts the batch back after a failure. @delay_ms of 0 makes it due at once. */
static void
release_in_flight (KacSyncEngine *self,
                   guint          delay_ms,
                   const char    *last_error)
{
  g_autoptr(GPtrArray) entries = g_steal_pointer (&self->in_flight);
  g_autoptr(GError) error = NULL;

  if (entries == NULL)
    return;

  if (!kac_store_outbox_release (self->store, entries,
                                 g_get_real_time () + (gint64) delay_ms * 1000,
                                 last_error, &error))
    /* They stay in flight in the file and go back at the next open; this process does not
     * send them again meanwhile. */
    g_warning ("Could not put %u registrations back in the queue: %s", entries->len, error->message);
}

/* Sorts a failure of the round's request (not a per-item answer) by its class, puts the batch
 * in flight (if any) back with the matching schedule, and ends the round. */
static void
round_failed (KacSyncEngine *self,
              const GError  *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Stopped, or the server settings changed: not an error to show. */
      release_in_flight (self, 0, NULL);
      if (self->state == KAC_SYNC_STATE_SYNCING)
        set_state (self, KAC_SYNC_STATE_IDLE);
      end_round (self);
      return;
    }

  set_last_error (self, error->message);

  if (!kac_http_error_is_transient (error))
    release_in_flight (self, 0, error->message);

  if (error->domain == KAC_HTTP_ERROR && error->code == KAC_HTTP_ERROR_AUTH)
    {
      /* Keep everything; wait for a new token. */
      clear_timer (self);
      set_state (self, KAC_SYNC_STATE_AUTH_NEEDED);
      end_round (self);
      return;
    }

  if (error->domain == KAC_HTTP_ERROR &&
      (error->code == KAC_HTTP_ERROR_TLS || error->code == KAC_HTTP_ERROR_CONFIG))
    {
      /* No blind retries against a server that cannot be trusted: the clerk or the
       * administrator acts (new CA file, new address, "Sync now"). */
      clear_timer (self);
      self->paused = TRUE;
      set_state (self, error->code == KAC_HTTP_ERROR_TLS ? KAC_SYNC_STATE_TLS_ERROR : KAC_SYNC_STATE_ERROR);
      end_round (self);
      return;
    }

  /* Transient (and requests the server refuses as a whole): back off the whole queue. */
  self->failures++;
  {
    guint delay = backoff_ms (self, self->failures);
    guint retry_after = error->domain == KAC_HTTP_ERROR ? kac_http_error_get_retry_after (error) : 0;

    /* The server knows best when it can take the request again (the client caps
     * Retry-After at a day). */
    if ((guint64) retry_after * 1000 > delay)
      delay = retry_after * 1000;

    /* The entries' own schedule says the same, for a restart meanwhile. */
    release_in_flight (self, delay, error->message);

    if (!self->stopped)
      schedule_round (self, delay, TRUE);
  }

  if (error->domain == KAC_HTTP_ERROR &&
      (error->code == KAC_HTTP_ERROR_NETWORK || error->code == KAC_HTTP_ERROR_TIMEOUT))
    set_state (self, KAC_SYNC_STATE_OFFLINE);
  else
    set_state (self, KAC_SYNC_STATE_ERROR);

  end_round (self);
}

/* Sending */

static gboolean
results_match (GPtrArray *entries,
               GPtrArray *results)
{
  if (results->len != entries->len)
    return FALSE;

  for (guint i = 0; i < entries->len; i++)
    {
      KacOutboxEntry *entry = entries->pdata[i];
      KacWireItemResult *result = results->pdata[i];

      if (g_strcmp0 (entry->uuid, result->uuid) != 0)
        return FALSE;
      if ((result->status == KAC_WIRE_ITEM_ACCEPTED || result->status == KAC_WIRE_ITEM_DUPLICATE) &&
          (result->central_number == NULL || *result->central_number == '\0'))
        return FALSE;
    }

  return TRUE;
}

static gboolean
apply_results (KacSyncEngine *self,
               GPtrArray     *results)
{
  g_autoptr(GPtrArray) entries = g_steal_pointer (&self->in_flight);
  g_autoptr(GError) error = NULL;

  if (!kac_store_outbox_apply_results (self->store, entries, results, &error))
    {
      /* The server holds them; the next send is answered as a replay with the same numbers. */
      self->in_flight = g_steal_pointer (&entries);
      round_failed (self, error);
      return FALSE;
    }

  return TRUE;
}

/* A request the server refuses as a whole for its content (400, 413, 422): halve the batch
 * until the record at fault is alone, then it is rejected like an item, with the reason. */
static gboolean
is_content_refusal (const GError *error)
{
  guint status;

  if (!g_error_matches (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_REJECTED))
    return FALSE;

  status = kac_http_error_get_status (error);

  return status == 400 || status == 413 || status == 422;
}

static void
send_records_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KacSyncEngine) self = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = kac_http_client_send_records_finish (KAC_HTTP_CLIENT (source), result, &error);

  if (results != NULL && !results_match (self->in_flight, results))
    {
      g_clear_pointer (&results, g_ptr_array_unref);
      error = g_error_new_literal (KAC_HTTP_ERROR, KAC_HTTP_ERROR_SERVER,
                                   _("The central system’s answer did not match the registrations sent. They wait and will be sent again."));
    }

  if (results != NULL)
    {
      if (!apply_results (self, results))
        return;

      self->failures = 0;
      self->current_batch_size = MIN (self->batch_size, self->current_batch_size * 2);
      if (self->stopped)
        {
          end_round (self);
          return;
        }
      flush_next (self);
      return;
    }

  if (is_content_refusal (error))
    {
      if (self->in_flight->len > 1)
        {
          self->current_batch_size = MAX (1, self->in_flight->len / 2);
          release_in_flight (self, 0, error->message);
          if (self->stopped)
            end_round (self);
          else
            flush_next (self);
          return;
        }
      else
        {
          g_autoptr(GPtrArray) rejected = g_ptr_array_new_with_free_func ((GDestroyNotify) kac_wire_item_result_free);
          KacOutboxEntry *entry = self->in_flight->pdata[0];
          KacWireItemResult *item = kac_wire_item_result_new (entry->uuid, KAC_WIRE_ITEM_REJECTED);

          item->code = g_strdup (kac_http_error_get_code (error) != NULL ? kac_http_error_get_code (error) : "invalid-request");
          item->title = g_strdup (error->message);
          g_ptr_array_add (rejected, item);
          if (!apply_results (self, rejected))
            return;
          if (self->stopped)
            end_round (self);
          else
            flush_next (self);
          return;
        }
    }

  /* A server error may come from one record it chokes on: a smaller batch next time. */
  if (g_error_matches (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_SERVER) && self->in_flight->len > 1)
    self->current_batch_size = MAX (1, self->in_flight->len / 2);

  round_failed (self, error);
}

static void
flush_next (KacSyncEngine *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) bodies = NULL;
  g_autoptr(GBytes) batch = NULL;
  g_autoptr(GError) error = NULL;
  KacHttpClient *client;

  g_assert (self->in_flight == NULL);

  if (!(client = ensure_client (self, &error)))
    {
      round_failed (self, error);
      return;
    }

  entries = kac_store_outbox_take (self->store, self->current_batch_size, self->force, &error);
  if (entries == NULL)
    {
      round_failed (self, error);
      return;
    }

  if (entries->len == 0)
    {
      self->gone_restarted = FALSE;
      self->change_pages = 0;
      pull_next (self);
      return;
    }

  bodies = g_ptr_array_new ();
  for (guint i = 0; i < entries->len; i++)
    g_ptr_array_add (bodies, ((KacOutboxEntry *) entries->pdata[i])->body);
  batch = kac_wire_encode_batch_request ((const char * const *) bodies->pdata, bodies->len);

  self->in_flight = g_steal_pointer (&entries);
  set_state (self, KAC_SYNC_STATE_SYNCING);
  self->n_requests++;
  kac_http_client_send_records_async (client, batch, self->in_flight->len, self->cancellable,
                                      send_records_cb, g_object_ref (self));
}

/* Pulling status changes */

static void
get_changes_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KacSyncEngine) self = user_data;
  g_autoptr(KacWireChangesPage) page = NULL;
  g_autoptr(GError) error = NULL;

  page = kac_http_client_get_changes_finish (KAC_HTTP_CLIENT (source), result, &error);
  if (page == NULL)
    {
      if (g_error_matches (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_GONE) && !self->gone_restarted)
        {
          g_autoptr(GError) reset_error = NULL;

          /* Another epoch (a restore on the server) or a cursor too old: all again. */
          self->gone_restarted = TRUE;
          if (!kac_store_reset_changes_cursor (self->store, &reset_error))
            {
              round_failed (self, reset_error);
              return;
            }
          pull_next (self);
          return;
        }

      round_failed (self, error);
      return;
    }

  if (!kac_store_apply_changes (self->store, page, &error))
    {
      round_failed (self, error);
      return;
    }

  if (page->more && !self->stopped && ++self->change_pages < MAX_CHANGE_PAGES_PER_ROUND)
    {
      pull_next (self);
      return;
    }

  self->feed_pages = 0;
  self->feed_gone_restarted = FALSE;
  pull_feed (self, FEED_MATERIALS);
}

/* The end of a round that reached the server for everything. */
static void
round_done (KacSyncEngine *self)
{
  /* Records saved while the changes came in are sent by the next round right away. */
  if (kac_store_get_n_pending (self->store) > 0)
    {
      gint64 next_due = 0;

      if (kac_store_outbox_get_next_due (self->store, &next_due) && next_due <= g_get_real_time ())
        self->again = TRUE;
    }

  round_succeeded (self);
}

static void
pull_next (KacSyncEngine *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *cursor_server = NULL;
  KacHttpClient *client;

  if (!(client = ensure_client (self, &error)))
    {
      round_failed (self, error);
      return;
    }

  /* A cursor belongs to the server that gave it. */
  cursor_server = kac_store_dup_sync_value (self->store, CHANGES_SERVER_KEY);
  if (g_strcmp0 (cursor_server, self->server_uri) != 0)
    {
      if (!kac_store_reset_changes_cursor (self->store, &error) ||
          !kac_store_set_sync_value (self->store, CHANGES_SERVER_KEY, self->server_uri, &error))
        {
          round_failed (self, error);
          return;
        }
    }

  cursor = kac_store_dup_changes_cursor (self->store);
  set_state (self, KAC_SYNC_STATE_SYNCING);
  self->n_requests++;
  kac_http_client_get_changes_async (client, cursor, self->cancellable,
                                     get_changes_cb, g_object_ref (self));
}

/* Pulling materials and notices */

static void fetch_next_attachment (KacSyncEngine *self);

static gboolean
start_feed_resync (KacSyncEngine  *self,
                   Feed            feed,
                   GError        **error)
{
  /* The flag first: a kill between the two writes still finds the resync to do. */
  if (!kac_store_set_sync_value (self->store, feed_resync_keys[feed], "1", error) ||
      !kac_store_set_sync_value (self->store, feed_cursor_keys[feed], NULL, error))
    return FALSE;

  g_clear_pointer (&self->feed_seen[feed], g_hash_table_unref);
  self->feed_seen[feed] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return TRUE;
}

/* At the end of a whole resync: what the cache holds and the server's feed no longer named is
 * gone from the server (e.g. it was restored from an older backup); tombstones remove it. */
static gboolean
finish_feed_resync (KacSyncEngine  *self,
                    Feed            feed,
                    GError        **error)
{
  g_autoptr(GHashTable) seen = g_steal_pointer (&self->feed_seen[feed]);
  g_autoptr(KacWireFeedPage) stale = NULL;
  g_autoptr(GPtrArray) cached = NULL;

  if (feed == FEED_MATERIALS)
    {
      stale = kac_wire_materials_page_new ();
      if (!(cached = kac_store_list_materials (self->store, error)))
        return FALSE;
      for (guint i = 0; i < cached->len; i++)
        {
          KacMaterialInfo *info = cached->pdata[i];

          if (!g_hash_table_contains (seen, info->id))
            {
              KacWireMaterial *tombstone = kac_wire_material_new ();

              tombstone->id = g_strdup (info->id);
              tombstone->version = info->version + 1;
              tombstone->deleted = TRUE;
              g_ptr_array_add (stale->items, tombstone);
            }
        }
      if (stale->items->len > 0 && !kac_store_apply_materials_page (self->store, stale, NULL, error))
        return FALSE;
    }
  else
    {
      stale = kac_wire_notices_page_new ();
      if (!(cached = kac_store_list_notices (self->store, error)))
        return FALSE;
      for (guint i = 0; i < cached->len; i++)
        {
          KacWireNotice *notice = cached->pdata[i];

          if (!g_hash_table_contains (seen, notice->id))
            {
              KacWireNotice *tombstone = kac_wire_notice_new ();

              tombstone->id = g_strdup (notice->id);
              tombstone->version = notice->version + 1;
              tombstone->deleted = TRUE;
              g_ptr_array_add (stale->items, tombstone);
            }
        }
      if (stale->items->len > 0 && !kac_store_apply_notices_page (self->store, stale, NULL, error))
        return FALSE;
    }

  return kac_store_set_sync_value (self->store, feed_resync_keys[feed], NULL, error);
}

static void
announce (KacSyncEngine *self,
          Feed           feed,
          GPtrArray     *to_notify)
{
  for (guint i = 0; to_notify != NULL && i < to_notify->len && !self->stopped; i++)
    {
      if (feed == FEED_MATERIALS)
        {
          KacWireMaterial *material = to_notify->pdata[i];

          g_signal_emit (self, signals[SIGNAL_MATERIAL_CHANGED], 0, material->id, material->version,
                         material->version > 1, material->institution, material->title);
        }
      else
        {
          KacWireNotice *notice = to_notify->pdata[i];

          g_signal_emit (self, signals[SIGNAL_NOTICE_ARRIVED], 0, notice->id, notice);
        }
    }
}

static void
get_feed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(KacSyncEngine) self = user_data;
  g_autoptr(KacWireFeedPage) page = NULL;
  g_autoptr(GPtrArray) to_notify = NULL;
  g_autoptr(GError) error = NULL;
  KacHttpClient *client = KAC_HTTP_CLIENT (source);
  Feed feed;
  gboolean ok;

  if (g_task_get_source_tag (G_TASK (result)) == kac_http_client_get_materials_async)
    {
      feed = FEED_MATERIALS;
      page = kac_http_client_get_materials_finish (client, result, &error);
    }
  else
    {
      feed = FEED_NOTICES;
      page = kac_http_client_get_notices_finish (client, result, &error);
    }

  if (page == NULL)
    {
      if (g_error_matches (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_GONE) && !self->feed_gone_restarted)
        {
          g_autoptr(GError) reset_error = NULL;

          /* Another epoch or a cursor too old: this feed again from the beginning. */
          self->feed_gone_restarted = TRUE;
          if (!start_feed_resync (self, feed, &reset_error))
            {
              round_failed (self, reset_error);
              return;
            }
          pull_feed (self, feed);
          return;
        }

      round_failed (self, error);
      return;
    }

  if (self->feed_seen[feed] != NULL)
    for (guint i = 0; i < page->items->len; i++)
      {
        /* Both item types start with their id. */
        const char *id = feed == FEED_MATERIALS ? ((KacWireMaterial *) page->items->pdata[i])->id
                                                : ((KacWireNotice *) page->items->pdata[i])->id;

        if (((feed == FEED_MATERIALS && !((KacWireMaterial *) page->items->pdata[i])->deleted)) ||
            (feed == FEED_NOTICES && !((KacWireNotice *) page->items->pdata[i])->deleted))
          g_hash_table_add (self->feed_seen[feed], g_strdup (id));
        else
          g_hash_table_remove (self->feed_seen[feed], id);
      }

  /* The page and its cursor in one transaction (and the notified marks with them). */
  if (feed == FEED_MATERIALS)
    ok = kac_store_apply_materials_page (self->store, page, &to_notify, &error);
  else
    ok = kac_store_apply_notices_page (self->store, page, &to_notify, &error);
  if (!ok)
    {
      round_failed (self, error);
      return;
    }

  /* The lists follow every change, also the silent ones (a first fill, a withdrawal, the
   * kinds of notice that are not announced). */
  if (page->items->len > 0)
    g_signal_emit (self, signals[SIGNAL_FEED_CHANGED], 0, feed_names[feed]);
  announce (self, feed, to_notify);

  if (page->more && !self->stopped && ++self->feed_pages < MAX_CHANGE_PAGES_PER_ROUND)
    {
      pull_feed (self, feed);
      return;
    }

  if (!page->more && self->feed_seen[feed] != NULL)
    {
      if (!finish_feed_resync (self, feed, &error))
        {
          round_failed (self, error);
          return;
        }
      /* It may have dropped what the server no longer has. */
      g_signal_emit (self, signals[SIGNAL_FEED_CHANGED], 0, feed_names[feed]);
    }

  self->feed_pages = 0;
  self->feed_gone_restarted = FALSE;
  if (feed == FEED_MATERIALS)
    {
      pull_feed (self, FEED_NOTICES);
      return;
    }

  g_clear_pointer (&self->missing, g_strfreev);
  self->missing = kac_store_dup_missing_attachments (self->store, &error);
  if (self->missing == NULL)
    {
      round_failed (self, error);
      return;
    }
  self->missing_next = 0;
  fetch_next_attachment (self);
}

static void
pull_feed (KacSyncEngine *self,
           Feed           feed)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *resync = NULL;
  KacHttpClient *client;

  if (!(client = ensure_client (self, &error)))
    {
      round_failed (self, error);
      return;
    }

  if (feed == FEED_MATERIALS && self->feed_pages == 0)
    {
      g_autofree char *feeds_server = kac_store_dup_sync_value (self->store, FEEDS_SERVER_KEY);

      /* Cursors belong to the server that gave them; another server's items are replaced. */
      if (g_strcmp0 (feeds_server, self->server_uri) != 0)
        {
          if (!kac_store_set_sync_value (self->store, feed_resync_keys[FEED_MATERIALS], "1", &error) ||
              !kac_store_set_sync_value (self->store, feed_resync_keys[FEED_NOTICES], "1", &error) ||
              !kac_store_set_sync_value (self->store, FEEDS_SERVER_KEY, self->server_uri, &error))
            {
              round_failed (self, error);
              return;
            }
        }
    }

  /* A resync this process has not followed from its start (a restart during one): begin it
   * again, so that the set of items the server still has is whole. */
  resync = kac_store_dup_sync_value (self->store, feed_resync_keys[feed]);
  if (resync != NULL && self->feed_seen[feed] == NULL && !start_feed_resync (self, feed, &error))
    {
      round_failed (self, error);
      return;
    }

  cursor = kac_store_dup_sync_value (self->store, feed_cursor_keys[feed]);
  set_state (self, KAC_SYNC_STATE_SYNCING);
  self->n_requests++;
  if (feed == FEED_MATERIALS)
    kac_http_client_get_materials_async (client, cursor, self->cancellable, get_feed_cb, g_object_ref (self));
  else
    kac_http_client_get_notices_async (client, cursor, self->cancellable, get_feed_cb, g_object_ref (self));
}

static void
get_attachment_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(KacSyncEngine) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *sha256 = self->missing[self->missing_next];

  bytes = kac_http_client_get_attachment_finish (KAC_HTTP_CLIENT (source), result, &error);
  if (bytes == NULL)
    {
      /* A file the server does not have (404) must not stop the other files nor the queue;
       * it is asked for again next round. Anything else is the round's failure. */
      if (!g_error_matches (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_REJECTED))
        {
          round_failed (self, error);
          return;
        }
      g_message ("Attachment %s is not on the server: %s", sha256, error->message);
    }
  else if (!kac_store_save_attachment (self->store, sha256, bytes, &error))
    {
      round_failed (self, error);
      return;
    }

  self->missing_next++;
  fetch_next_attachment (self);
}

static void
fetch_next_attachment (KacSyncEngine *self)
{
  g_autoptr(GError) error = NULL;
  KacHttpClient *client;

  if (self->missing == NULL || self->missing[self->missing_next] == NULL || self->stopped)
    {
      g_clear_pointer (&self->missing, g_strfreev);
      round_done (self);
      return;
    }

  if (!(client = ensure_client (self, &error)))
    {
      round_failed (self, error);
      return;
    }

  set_state (self, KAC_SYNC_STATE_SYNCING);
  self->n_requests++;
  kac_http_client_get_attachment_async (client, self->missing[self->missing_next], self->cancellable,
                                        get_attachment_cb, g_object_ref (self));
}

/* Rounds */

static void
start_round (KacSyncEngine *self,
             gboolean       force)
{
  if (self->running)
    {
      self->again = TRUE;
      self->again_force |= force;
      return;
    }

  if (!is_signed_in (self))
    {
      clear_timer (self);
      set_state (self, KAC_SYNC_STATE_AUTH_NEEDED);
      return;
    }

  if (self->state == KAC_SYNC_STATE_AUTH_NEEDED)
    return;

  if (self->paused && !force)
    return;

  clear_timer (self);
  g_clear_handle_id (&self->network_delay_id, g_source_remove);
  self->stopped = FALSE;
  self->paused = FALSE;
  self->running = TRUE;
  self->force = force;
  if (self->cancellable == NULL || g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_object (&self->cancellable);
      self->cancellable = g_cancellable_new ();
    }

  flush_next (self);
}

/* Cancels the request on its way (its entries go back) and starts again with the new
 * settings. */
static void
restart (KacSyncEngine *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  self->failures = 0;
  self->paused = FALSE;
  self->current_batch_size = self->batch_size;
  clear_timer (self);
  /* A resync followed for another server says nothing about this one: it starts over. */
  for (guint i = 0; i < N_FEEDS; i++)
    g_clear_pointer (&self->feed_seen[i], g_hash_table_unref);

  if (!is_signed_in (self))
    {
      set_state (self, KAC_SYNC_STATE_AUTH_NEEDED);
      return;
    }

  if (self->state == KAC_SYNC_STATE_AUTH_NEEDED ||
      self->state == KAC_SYNC_STATE_TLS_ERROR ||
      self->state == KAC_SYNC_STATE_ERROR)
    {
      set_last_error (self, NULL);
      set_state (self, KAC_SYNC_STATE_IDLE);
    }

  start_round (self, TRUE);
}

/* Callbacks */

static gboolean
kick_cb (gpointer user_data)
{
  KacSyncEngine *self = user_data;

  self->kick_id = 0;
  start_round (self, FALSE);

  return G_SOURCE_REMOVE;
}

/* Always enqueue: a record saved while online is sent by an immediate round, unless the
 * whole queue is backing off (then it waits like the others). */
static void
store_n_pending_cb (KacSyncEngine *self)
{
  guint n_pending = kac_store_get_n_pending (self->store);
  gboolean grew = n_pending > self->last_n_pending;

  self->last_n_pending = n_pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);

  /* Only a new (or corrected) registration asks for a round; the queue shrinking as the
   * round sends it does not. */
  if (!grew || self->stopped || self->backing_off ||
      self->paused || self->kick_id != 0 || !is_signed_in (self) ||
      self->state == KAC_SYNC_STATE_AUTH_NEEDED)
    return;

  if (self->running)
    {
      self->again = TRUE;
      return;
    }

  self->kick_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, kick_cb, self, NULL);
}

static void
store_n_rejected_cb (KacSyncEngine *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_REJECTED]);
}

static void
store_n_stuck_cb (KacSyncEngine *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STUCK]);
}

static gboolean
network_delay_cb (gpointer user_data)
{
  KacSyncEngine *self = user_data;

  self->network_delay_id = 0;
  self->failures = 0;
  start_round (self, TRUE);

  return G_SOURCE_REMOVE;
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    KacSyncEngine   *self)
{
  gboolean was_available = self->network_available;

  self->network_available = available;

  if (!available)
    {
      if (self->state == KAC_SYNC_STATE_IDLE && kac_store_get_n_pending (self->store) > 0)
        set_state (self, KAC_SYNC_STATE_OFFLINE);
      return;
    }

  if (was_available || self->stopped || !is_signed_in (self) || self->network_delay_id != 0)
    return;

  /* All centres see the network come back at the same moment after an outage: spread their
   * first calls over 0–30 s. */
  self->network_delay_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                               (guint) g_random_int_range (0, (gint32) self->network_delay_max_ms + 1),
                                               network_delay_cb, self, NULL);
}

/* GObject */

static void
kac_sync_engine_constructed (GObject *object)
{
  KacSyncEngine *self = (KacSyncEngine *)object;
  g_autofree char *last_sync = NULL;

  G_OBJECT_CLASS (kac_sync_engine_parent_class)->constructed (object);

  g_assert (KAC_IS_STORE (self->store));

  if (self->monitor == NULL)
    self->monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_available = g_network_monitor_get_network_available (self->monitor);

  g_signal_connect_object (self->store, "notify::n-pending", G_CALLBACK (store_n_pending_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::n-rejected", G_CALLBACK (store_n_rejected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "notify::n-stuck", G_CALLBACK (store_n_stuck_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self, 0);

  self->last_n_pending = kac_store_get_n_pending (self->store);
  last_sync = kac_store_dup_sync_value (self->store, LAST_SYNC_KEY);
  if (last_sync != NULL)
    self->last_sync = g_date_time_new_from_iso8601 (last_sync, NULL);

  self->state = is_signed_in (self) ? KAC_SYNC_STATE_IDLE : KAC_SYNC_STATE_AUTH_NEEDED;
}

static void
kac_sync_engine_dispose (GObject *object)
{
  KacSyncEngine *self = (KacSyncEngine *)object;

  kac_sync_engine_stop (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (kac_sync_engine_parent_class)->dispose (object);
}

static void
kac_sync_engine_finalize (GObject *object)
{
  KacSyncEngine *self = (KacSyncEngine *)object;

  g_assert (self->in_flight == NULL);

  g_clear_object (&self->store);
  g_clear_object (&self->monitor);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->server_uri, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_clear_pointer (&self->next_attempt, g_date_time_unref);
  g_clear_pointer (&self->missing, g_strfreev);
  for (guint i = 0; i < N_FEEDS; i++)
    g_clear_pointer (&self->feed_seen[i], g_hash_table_unref);

  G_OBJECT_CLASS (kac_sync_engine_parent_class)->finalize (object);
}

static void
kac_sync_engine_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KacSyncEngine *self = KAC_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    case PROP_SERVER_URI:
      g_value_set_string (value, self->server_uri);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->batch_size);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_N_PENDING:
      g_value_set_uint (value, kac_sync_engine_get_n_pending (self));
      break;
    case PROP_N_REJECTED:
      g_value_set_uint (value, kac_sync_engine_get_n_rejected (self));
      break;
    case PROP_N_STUCK:
      g_value_set_uint (value, kac_store_get_n_stuck (self->store));
      break;
    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;
    case PROP_NEXT_ATTEMPT:
      g_value_set_boxed (value, self->next_attempt);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_sync_engine_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KacSyncEngine *self = KAC_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_NETWORK_MONITOR:
      self->monitor = g_value_dup_object (value);
      break;
    case PROP_SERVER_URI:
      kac_sync_engine_set_server_uri (self, g_value_get_string (value));
      break;
    case PROP_CA_FILE:
      kac_sync_engine_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_TOKEN:
      kac_sync_engine_set_token (self, g_value_get_string (value));
      break;
    case PROP_BATCH_SIZE:
      kac_sync_engine_set_batch_size (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_sync_engine_class_init (KacSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = kac_sync_engine_constructed;
  object_class->dispose = kac_sync_engine_dispose;
  object_class->finalize = kac_sync_engine_finalize;
  object_class->get_property = kac_sync_engine_get_property;
  object_class->set_property = kac_sync_engine_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KAC_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URI] =
    g_param_spec_string ("server-uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", NULL, NULL, 1, KAC_WIRE_BATCH_MAX_RECORDS,
                       KAC_SYNC_ENGINE_DEFAULT_BATCH_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, KAC_TYPE_SYNC_STATE, KAC_SYNC_STATE_AUTH_NEEDED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_REJECTED] =
    g_param_spec_uint ("n-rejected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_STUCK] =
    g_param_spec_uint ("n-stuck", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] =
    g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NEXT_ATTEMPT] =
    g_param_spec_boxed ("next-attempt", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_AUTH_NEEDED] =
    g_signal_new ("auth-needed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /* (id, KacWireNotice borrowed for the emission): see kac-sync-engine.h. */
  signals[SIGNAL_NOTICE_ARRIVED] =
    g_signal_new ("notice-arrived",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_POINTER);

  /* (id, version, is_update, institution, title). */
  signals[SIGNAL_MATERIAL_CHANGED] =
    g_signal_new ("material-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_BOOLEAN,
                  G_TYPE_STRING, G_TYPE_STRING);

  /* (feed): "materials" or "notices"; see kac-sync-engine.h. */
  signals[SIGNAL_FEED_CHANGED] =
    g_signal_new ("feed-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
kac_sync_engine_init (KacSyncEngine *self)
{
  self->batch_size = KAC_SYNC_ENGINE_DEFAULT_BATCH_SIZE;
  self->current_batch_size = self->batch_size;
  self->state = KAC_SYNC_STATE_AUTH_NEEDED;
  self->backoff_base_ms = DEFAULT_BACKOFF_BASE_MS;
  self->backoff_max_ms = DEFAULT_BACKOFF_MAX_MS;
  self->network_delay_max_ms = DEFAULT_NETWORK_DELAY_MAX_MS;
  self->poll_interval_ms = DEFAULT_POLL_INTERVAL_MS;
  self->io_timeout = KAC_HTTP_DEFAULT_IO_TIMEOUT_SECONDS;
  self->request_timeout = KAC_HTTP_DEFAULT_REQUEST_TIMEOUT_SECONDS;
}

/* Public API */

KacSyncEngine *
kac_sync_engine_new (KacStore *store)
{
  g_return_val_if_fail (KAC_IS_STORE (store), NULL);

  return g_object_new (KAC_TYPE_SYNC_ENGINE, "store", store, NULL);
}

KacSyncEngine *
kac_sync_engine_new_with_monitor (KacStore        *store,
                                  GNetworkMonitor *monitor)
{
  g_return_val_if_fail (KAC_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_NETWORK_MONITOR (monitor), NULL);

  return g_object_new (KAC_TYPE_SYNC_ENGINE, "store", store, "network-monitor", monitor, NULL);
}

/**
 * kac_sync_engine_get_store:
 *
 * Returns: (transfer none): the store.
 */
KacStore *
kac_sync_engine_get_store (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), NULL);

  return self->store;
}

const char *
kac_sync_engine_get_server_uri (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), NULL);

  return self->server_uri;
}

static gboolean
replace_string (char       **field,
                const char  *value)
{
  if (value != NULL && *value == '\0')
    value = NULL;

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

void
kac_sync_engine_set_server_uri (KacSyncEngine *self,
                                const char    *server_uri)
{
  g_return_if_fail (KAC_IS_SYNC_ENGINE (self));

  if (!replace_string (&self->server_uri, server_uri))
    return;

  g_clear_object (&self->client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URI]);

  /* During construction the store is not there yet; constructed() sets the state. */
  if (self->store != NULL)
    restart (self);
}

const char *
kac_sync_engine_get_ca_file (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), NULL);

  return self->ca_file;
}

void
kac_sync_engine_set_ca_file (KacSyncEngine *self,
                             const char    *ca_file)
{
  g_return_if_fail (KAC_IS_SYNC_ENGINE (self));

  if (!replace_string (&self->ca_file, ca_file))
    return;

  g_clear_object (&self->client);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);

  if (self->store != NULL)
    restart (self);
}

const char *
kac_sync_engine_get_token (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), NULL);

  return self->token;
}

void
kac_sync_engine_set_token (KacSyncEngine *self,
                           const char    *token)
{
  g_return_if_fail (KAC_IS_SYNC_ENGINE (self));

  if (!replace_string (&self->token, token))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);

  if (self->store != NULL)
    restart (self);
}

guint
kac_sync_engine_get_batch_size (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), 0);

  return self->batch_size;
}

void
kac_sync_engine_set_batch_size (KacSyncEngine *self,
                                guint          batch_size)
{
  g_return_if_fail (KAC_IS_SYNC_ENGINE (self));
  g_return_if_fail (batch_size >= 1 && batch_size <= KAC_WIRE_BATCH_MAX_RECORDS);

  if (self->batch_size == batch_size)
    return;

  self->batch_size = batch_size;
  self->current_batch_size = batch_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BATCH_SIZE]);
}

KacSyncState
kac_sync_engine_get_state (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), KAC_SYNC_STATE_IDLE);

  return self->state;
}

guint
kac_sync_engine_get_n_pending (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), 0);

  return kac_store_get_n_pending (self->store);
}

guint
kac_sync_engine_get_n_rejected (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), 0);

  return kac_store_get_n_rejected (self->store);
}

guint
kac_sync_engine_get_n_stuck (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), 0);

  return kac_store_get_n_stuck (self->store);
}

/**
 * kac_sync_engine_get_last_sync:
 *
 * Returns: (transfer none) (nullable): when the last sync ended well.
 */
GDateTime *
kac_sync_engine_get_last_sync (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), NULL);

  return self->last_sync;
}

/**
 * kac_sync_engine_get_next_attempt:
 *
 * Returns: (transfer none) (nullable): when the engine tries again while backing off.
 */
GDateTime *
kac_sync_engine_get_next_attempt (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), NULL);

  return self->next_attempt;
}

const char *
kac_sync_engine_get_last_error (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), NULL);

  return self->last_error;
}

void
kac_sync_engine_sync_now (KacSyncEngine *self)
{
  g_return_if_fail (KAC_IS_SYNC_ENGINE (self));

  if (!is_signed_in (self) || self->state == KAC_SYNC_STATE_AUTH_NEEDED)
    {
      /* Asked to send while signed out: ask for the sign-in again. */
      if (self->state == KAC_SYNC_STATE_AUTH_NEEDED)
        g_signal_emit (self, signals[SIGNAL_AUTH_NEEDED], 0);
      else
        set_state (self, KAC_SYNC_STATE_AUTH_NEEDED);
      return;
    }

  self->stopped = FALSE;
  self->failures = 0;
  self->current_batch_size = self->batch_size;
  g_clear_handle_id (&self->network_delay_id, g_source_remove);
  start_round (self, TRUE);
}

void
kac_sync_engine_stop (KacSyncEngine *self)
{
  g_return_if_fail (KAC_IS_SYNC_ENGINE (self));

  self->stopped = TRUE;
  self->again = FALSE;
  clear_timer (self);
  g_clear_handle_id (&self->network_delay_id, g_source_remove);
  g_clear_handle_id (&self->kick_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

/* Private API (kac-sync-engine-private.h) */

void
_kac_sync_engine_set_timing (KacSyncEngine *self,
                             guint          backoff_base_ms,
                             guint          backoff_max_ms,
                             guint          network_delay_max_ms,
                             guint          poll_interval_ms)
{
  g_return_if_fail (KAC_IS_SYNC_ENGINE (self));
  g_return_if_fail (backoff_base_ms > 0 && backoff_max_ms >= backoff_base_ms);
  g_return_if_fail (network_delay_max_ms < G_MAXINT32 && backoff_max_ms < G_MAXINT32);

  self->backoff_base_ms = backoff_base_ms;
  self->backoff_max_ms = backoff_max_ms;
  self->network_delay_max_ms = network_delay_max_ms;
  self->poll_interval_ms = poll_interval_ms;
}

void
_kac_sync_engine_set_timeouts (KacSyncEngine *self,
                               guint          io_timeout_seconds,
                               guint          request_timeout_seconds)
{
  g_return_if_fail (KAC_IS_SYNC_ENGINE (self));

  self->io_timeout = io_timeout_seconds;
  self->request_timeout = request_timeout_seconds;
  if (self->client != NULL)
    kac_http_client_set_timeouts (self->client, io_timeout_seconds, request_timeout_seconds);
}

guint
_kac_sync_engine_backoff_ms (KacSyncEngine *self,
                             guint          n)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), 0);
  g_return_val_if_fail (n >= 1, 0);

  return backoff_ms (self, n);
}

guint
_kac_sync_engine_get_n_requests (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), 0);

  return self->n_requests;
}

guint64
_kac_sync_engine_get_bytes_received (KacSyncEngine *self)
{
  g_return_val_if_fail (KAC_IS_SYNC_ENGINE (self), 0);

  return self->client != NULL ? kac_http_client_get_bytes_received (self->client) : 0;
}
