/* kac-http-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's side of the HTTPS API of kac-central (/api/v1), on libsoup 3's asynchronous API.
 * It knows the requests and how to read their answers; it never retries and never touches the
 * store: KacSyncEngine decides what to do with each outcome.
 *
 * - TLS is always verified. With a CA file, only that file's CAs are trusted (the path is made
 *   absolute first: a relative one makes every handshake fail silently on libsoup 3.2); without
 *   one, the system's trust store.
 * - Every request has two limits: the session's I/O timeout (no progress for that long) and an
 *   overall deadline for the whole request. Both end in KAC_HTTP_ERROR_TIMEOUT.
 * - Every failure is a KAC_HTTP_ERROR whose code is the class of the outcome (transient, TLS,
 *   auth, gone, rejected) and whose message is a sentence fit for the clerk. The HTTP status,
 *   the problem+json code and Retry-After travel with the error (kac_http_error_get_*).
 * - Cancelling through the GCancellable gives G_IO_ERROR_CANCELLED, which is not an error to
 *   show.
 */
#pragma once

#include <gio/gio.h>

#include "kac-wire.h"

G_BEGIN_DECLS

#define KAC_HTTP_DEFAULT_IO_TIMEOUT_SECONDS      30
#define KAC_HTTP_DEFAULT_REQUEST_TIMEOUT_SECONDS 60

#define KAC_HTTP_ERROR (kac_http_error_quark ())

typedef enum
{
  /* Transient: try again later with backoff. */
  KAC_HTTP_ERROR_NETWORK,   /* cannot connect, connection refused, reset or dropped, no route */
  KAC_HTTP_ERROR_TIMEOUT,   /* no answer within the I/O timeout or the request deadline */
  KAC_HTTP_ERROR_SERVER,    /* 408, 429, 5xx, or a 2xx answer that cannot be read */
  /* Not transient: the engine pauses and tells the clerk. */
  KAC_HTTP_ERROR_TLS,       /* the server's certificate is not trusted (or TLS failed) */
  KAC_HTTP_ERROR_AUTH,      /* 401: no token, or the server no longer accepts it */
  KAC_HTTP_ERROR_GONE,      /* 410: the cursor is too old or of another epoch: resync */
  KAC_HTTP_ERROR_REJECTED,  /* any other 4xx: this request will never succeed as it is */
  KAC_HTTP_ERROR_CONFIG,    /* the server address or the CA file is not usable */
} KacHttpError;

GQuark      kac_http_error_quark           (void);

/* NETWORK, TIMEOUT and SERVER. */
gboolean    kac_http_error_is_transient    (const GError *error);
/* The HTTP status of the answer (0 when there was none). */
guint       kac_http_error_get_status      (const GError *error);
/* The problem+json "code" of the answer, or NULL. */
const char *kac_http_error_get_code        (const GError *error);
/* Seconds asked for by Retry-After (delta-seconds or an HTTP date), 0 when not given. */
guint       kac_http_error_get_retry_after (const GError *error);

#define KAC_TYPE_HTTP_CLIENT (kac_http_client_get_type ())

G_DECLARE_FINAL_TYPE (KacHttpClient, kac_http_client, KAC, HTTP_CLIENT, GObject)

/* Properties:
 *   "server-uri"  string, construct-only: "https://central.example.lv/" (a path prefix is kept;
 *                 http:// is accepted only for a loopback address)
 *   "ca-file"     string, construct-only, or NULL for the system's trust store
 *   "token"       string or NULL: the bearer token sent with every request but sign-in
 *
 * Fails with KAC_HTTP_ERROR_CONFIG when the URI is not an absolute https URI (or http to
 * loopback) or the CA file cannot be read as PEM certificates. */
KacHttpClient  *kac_http_client_new                 (const char     *server_uri,
                                                     const char     *ca_file,
                                                     GError        **error);
const char     *kac_http_client_get_server_uri      (KacHttpClient  *self);
const char     *kac_http_client_get_ca_file         (KacHttpClient  *self);
const char     *kac_http_client_get_token           (KacHttpClient  *self);
void            kac_http_client_set_token           (KacHttpClient  *self,
                                                     const char     *token);
/* Defaults: KAC_HTTP_DEFAULT_IO_TIMEOUT_SECONDS and KAC_HTTP_DEFAULT_REQUEST_TIMEOUT_SECONDS.
 * Both must be > 0 (libsoup's default of 0 means waiting for ever). Applies to later
 * requests. */
void            kac_http_client_set_timeouts        (KacHttpClient  *self,
                                                     guint           io_timeout_seconds,
                                                     guint           request_timeout_seconds);

/* POST /api/v1/records with @batch (a document from kac_wire_encode_batch_request(), sent
 * exactly as given, holding @n_records records). Finishes with a GPtrArray of
 * KacWireItemResult, one per request item in request order; an answer with another count is
 * KAC_HTTP_ERROR_SERVER (the caller matches the UUIDs to what it sent). */
void            kac_http_client_send_records_async  (KacHttpClient        *self,
                                                     GBytes               *batch,
                                                     guint                 n_records,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GPtrArray      *kac_http_client_send_records_finish (KacHttpClient        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* GET /api/v1/records/changes?since=@cursor (NULL or "" = from the beginning). */
void            kac_http_client_get_changes_async   (KacHttpClient        *self,
                                                     const char           *cursor,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
KacWireChangesPage *kac_http_client_get_changes_finish (KacHttpClient     *self,
                                                        GAsyncResult      *result,
                                                        GError           **error);

/* GET /api/v1/materials?since=@cursor and GET /api/v1/notices?since=@cursor (NULL or "" = from
 * the beginning): one page of the feed (kac-wire.h). A 410 is KAC_HTTP_ERROR_GONE: the caller
 * starts that feed again from the beginning. */
void            kac_http_client_get_materials_async (KacHttpClient        *self,
                                                     const char           *cursor,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
KacWireFeedPage *kac_http_client_get_materials_finish (KacHttpClient      *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);
void            kac_http_client_get_notices_async   (KacHttpClient        *self,
                                                     const char           *cursor,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
KacWireFeedPage *kac_http_client_get_notices_finish (KacHttpClient        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* GET /api/v1/attachments/@sha256: the file's bytes, checked against @sha256 (content that
 * does not match is KAC_HTTP_ERROR_SERVER and is not returned). 404 is KAC_HTTP_ERROR_REJECTED. */
void            kac_http_client_get_attachment_async (KacHttpClient       *self,
                                                      const char          *sha256,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
GBytes         *kac_http_client_get_attachment_finish (KacHttpClient      *self,
                                                       GAsyncResult       *result,
                                                       GError            **error);

/* GET /api/v1/stats?centre=@centre_id&from=@from&to=@to (days in Latvia, both included): the
 * figures of the whole centre, all its terminals (managers of that centre only; admins any
 * centre). A 403 (not a manager, or another centre) is KAC_HTTP_ERROR_REJECTED with the
 * server's explanation. */
void            kac_http_client_get_stats_async     (KacHttpClient        *self,
                                                     const char           *centre_id,
                                                     const GDate          *from,
                                                     const GDate          *to,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
KacWireStats   *kac_http_client_get_stats_finish    (KacHttpClient        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Bytes of the answers received so far (status line, headers and bodies, as libsoup counts
 * them before TLS), for measurements. */
guint64         kac_http_client_get_bytes_received  (KacHttpClient        *self);

/* POST /api/v1/session. A wrong user name or password is KAC_HTTP_ERROR_AUTH with a message
 * for the sign-in dialog. The client's own token is neither sent nor changed. */
void            kac_http_client_sign_in_async       (KacHttpClient        *self,
                                                     const char           *username,
                                                     const char           *password,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
KacWireSession *kac_http_client_sign_in_finish      (KacHttpClient        *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* Sign-in for the dialog, before any engine or client exists: makes a client for
 * @server_uri and @ca_file (NULL = system trust), signs in and finishes with the decoded
 * session (token, expires_at, user, role, centre). Configuration faults come back through
 * the callback as KAC_HTTP_ERROR_CONFIG. */
void            kac_session_sign_in_async           (const char           *server_uri,
                                                     const char           *ca_file,
                                                     const char           *username,
                                                     const char           *password,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
KacWireSession *kac_session_sign_in_finish          (GAsyncResult         *result,
                                                     GError              **error);

G_END_DECLS
