/* kac-sync-engine.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sends the store's outbox to kac-central and pulls the status changes of the centre's
 * applications, in the background, on the main loop. No GTK: the window binds the properties
 * below and calls kac_sync_engine_sync_now() for "Sync now".
 *
 * How it works (rules in PROTOCOL-NOTES.md):
 * - Registrations are always written to the store first (kac_store_save_record() puts the
 *   record and its outbox entry in one transaction); the engine only drains the outbox, in
 *   batches of "batch-size" entries, each batch's results applied in one transaction.
 * - Accepted and duplicate items become accepted with their central number; rejected items
 *   and conflicts become rejected with the reason in the record's state-detail (kept and
 *   visible, never retried until the clerk corrects or withdraws them).
 * - Transient failures (no connection, timeouts, 408/429/5xx, unreadable answers) back off
 *   the whole queue: d(n) = min(15 min, 2 s · 2^(n−1)), sleep d/2 + random(0, d/2), honouring
 *   Retry-After, with no attempt limit. A batch that fails with a server error is halved for
 *   the next try, so one record the server chokes on cannot hold back the others.
 * - 401 pauses sending (state auth-needed, signal "auth-needed") until a new "token" is set;
 *   a certificate the CA file or the system does not trust pauses it too (state tls-error)
 *   until "server-uri", "ca-file" or "token" changes or sync_now() is called. Nothing is lost.
 * - When GNetworkMonitor says the network came back, the engine tries after a random 0–30 s
 *   (so that all centres do not call at the same second); sync_now() tries at once, ignoring
 *   the backoff.
 * - After the outbox, the engine pulls status changes by cursor page by page (page and cursor
 *   stored in one transaction); a 410 starts again from the beginning.
 *
 * Without "server-uri" or "token" the engine sends nothing and its state is auth-needed (the
 * desk is signed out); registrations keep being saved and wait.
 */
#pragma once

#include <gio/gio.h>

#include "kac-store.h"

G_BEGIN_DECLS

#define KAC_SYNC_ENGINE_DEFAULT_BATCH_SIZE 200

/* "state" of the engine, for the window's indicator. */
typedef enum
{
  KAC_SYNC_STATE_IDLE,         /* nothing being sent; everything that could be sent was sent */
  KAC_SYNC_STATE_OFFLINE,      /* no network, or kac-central cannot be reached: records wait */
  KAC_SYNC_STATE_SYNCING,      /* a request is on its way */
  KAC_SYNC_STATE_AUTH_NEEDED,  /* signed out, or the token expired or was revoked */
  KAC_SYNC_STATE_TLS_ERROR,    /* the server's certificate is not trusted: paused */
  KAC_SYNC_STATE_ERROR,        /* the server answers with errors; trying again with backoff */
} KacSyncState;

GType       kac_sync_state_get_type        (void);
#define KAC_TYPE_SYNC_STATE (kac_sync_state_get_type ())

/* Translated label for the state ("Offline", "Sign-in needed", …). */
const char *kac_sync_state_get_label       (KacSyncState state);

#define KAC_TYPE_SYNC_ENGINE (kac_sync_engine_get_type ())

G_DECLARE_FINAL_TYPE (KacSyncEngine, kac_sync_engine, KAC, SYNC_ENGINE, GObject)

/* Properties (all notify only on change):
 *   "store"            KacStore, construct-only
 *   "network-monitor"  GNetworkMonitor, construct-only (default: g_network_monitor_get_default)
 *   "server-uri"       string or NULL, read-write ("https://central.example.lv/")
 *   "ca-file"          string or NULL, read-write (a private CA's PEM file; NULL = system)
 *   "token"            string or NULL, read-write: set by the GUI from the Secret Service after
 *                      sign-in; NULL = signed out. Setting a token clears auth-needed and
 *                      flushes at once.
 *   "batch-size"       uint 1…KAC_WIRE_BATCH_MAX_RECORDS, read-write
 *   "state"            KacSyncState, read-only
 *   "n-pending"        uint, read-only: registrations waiting to be sent (queued + sending)
 *   "n-rejected"       uint, read-only: registrations the central system refused, waiting for
 *                      the clerk to correct or withdraw them
 *   "n-stuck"          uint, read-only: waiting ones that failed 8 times or have waited over
 *                      30 minutes ("N registrations not sent")
 *   "last-sync"        GDateTime or NULL, read-only: the end of the last sync that reached the
 *                      server and emptied what could be sent (kept in the store across runs)
 *   "next-attempt"     GDateTime or NULL, read-only: when the engine will try again on its own
 *                      (while backing off)
 *   "last-error"       string or NULL, read-only: a sentence for the clerk about the last
 *                      failure; NULL after a sync that succeeded
 *
 * Signals:
 *   "auth-needed" ()   the server refused the token (expired or revoked) or there is none while
 *                      records wait; emitted once per change into auth-needed. The GUI asks the
 *                      clerk to sign in and then sets "token".
 *   "notice-arrived" (const char *id, gpointer notice)
 *                      a new absence or substitution notice for this centre (§19.3, §19.4), or a
 *                      new version of one, reached the store. @notice is the KacWireNotice that
 *                      was stored (kind, institution, position, name, starts_at, ends_at, note),
 *                      borrowed for the emission only: kac_wire_notice_copy() it to keep it.
 *                      The other kinds (specialist assigned, hours changed) and withdrawals are
 *                      not announced; the notices page shows them from the store.
 *   "material-changed" (const char *id, gint64 version, gboolean is_update,
 *                       const char *institution, const char *title)
 *                      a new material (@is_update FALSE: version 1) or a new version of one
 *                      (@is_update TRUE) reached the store. To open it, the GUI looks it up by
 *                      @id with kac_store_lookup_material() (the newest version is there, also
 *                      offline); deleted materials are not announced.
 *   Both are emitted on the engine's main context right after the page that carried the item
 *   was committed, once per item-version and never again, also across restarts (the store's
 *   notified mark is set in the same transaction as the page). Nothing is announced while the
 *   store fills for the first time (the first full pull of a feed, e.g. a new desk or after a
 *   410 resync of an empty cache): the lists show those items as new instead. Each feed is
 *   pulled after the status changes, page by page, only what changed since its cursor; missing
 *   attachments are then fetched by content hash and verified before they are written.
 *   A desk that turns notifications off simply does not connect (or ignores) these signals.
 *   "feed-changed" (const char *feed)
 *                      "materials" or "notices": a pulled page changed the store's cache of that
 *                      feed (any item, also the ones not announced: the first fill, withdrawals,
 *                      assignments and hours), or a resync dropped items. The lists read the
 *                      store again. Emitted before the page's announcements.
 */
KacSyncEngine  *kac_sync_engine_new              (KacStore        *store);
KacSyncEngine  *kac_sync_engine_new_with_monitor (KacStore        *store,
                                                  GNetworkMonitor *monitor);

KacStore       *kac_sync_engine_get_store        (KacSyncEngine   *self);
const char     *kac_sync_engine_get_server_uri   (KacSyncEngine   *self);
void            kac_sync_engine_set_server_uri   (KacSyncEngine   *self,
                                                  const char      *server_uri);
const char     *kac_sync_engine_get_ca_file      (KacSyncEngine   *self);
void            kac_sync_engine_set_ca_file      (KacSyncEngine   *self,
                                                  const char      *ca_file);
const char     *kac_sync_engine_get_token        (KacSyncEngine   *self);
void            kac_sync_engine_set_token        (KacSyncEngine   *self,
                                                  const char      *token);
guint           kac_sync_engine_get_batch_size   (KacSyncEngine   *self);
void            kac_sync_engine_set_batch_size   (KacSyncEngine   *self,
                                                  guint            batch_size);

KacSyncState    kac_sync_engine_get_state        (KacSyncEngine   *self);
guint           kac_sync_engine_get_n_pending    (KacSyncEngine   *self);
guint           kac_sync_engine_get_n_rejected   (KacSyncEngine   *self);
guint           kac_sync_engine_get_n_stuck      (KacSyncEngine   *self);
GDateTime      *kac_sync_engine_get_last_sync    (KacSyncEngine   *self);
GDateTime      *kac_sync_engine_get_next_attempt (KacSyncEngine   *self);
const char     *kac_sync_engine_get_last_error   (KacSyncEngine   *self);

/* "Sync now": sends what is waiting at once, ignoring any backoff, then pulls status changes.
 * Also leaves tls-error to try again (the clerk may have fixed the CA file). Does nothing
 * while signed out (state auth-needed) but emit "auth-needed". A sync already running goes
 * on and is followed by another round. */
void            kac_sync_engine_sync_now         (KacSyncEngine   *self);

/* Cancels what is on its way and stops all timers (the window is closing). In-flight entries
 * go back to the queue; nothing is lost. The engine does nothing more until sync_now() or a
 * new token, server or CA file. Call it before dropping the last reference: a request on its
 * way holds the engine until its answer. */
void            kac_sync_engine_stop             (KacSyncEngine   *self);

G_END_DECLS
