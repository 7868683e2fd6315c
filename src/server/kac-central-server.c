/* kac-central-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One catch-all handler dispatches by path and method, so that every answer — including 404
 * and 405 — is problem+json and every request is counted under a route template. The store is
 * touched only from the main context; only the Argon2id check of a sign-in runs in a thread.
 */
#define G_LOG_DOMAIN "kac-central-server"

#include "config.h"

#include "kac-central-server.h"

#include "kac-central-auth.h"
#include "kac-central-server-private.h"
#include "kac-central-store-audit.h"
#include "kac-wire.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#define SAMPLE_CATALOG_RESOURCE "/lv/vpvkac/Desk/core/catalog/sample-catalog.json"
#define OPENAPI_RESOURCE        "/lv/vpvkac/Central/openapi.yaml"

/* How far in the future a record's created_at may lie before it is refused: clocks of
 * terminals drift, but a registration is never made tomorrow. */
#define CREATED_AT_FUTURE_SLACK (G_TIME_SPAN_DAY)

#define ROUTE_KEY "kac-central-route"
#define START_KEY "kac-central-start"

/* Connections the kernel may hold for us before we accept them. GSocket's default of 10
 * overflows when many terminals connect at once (all of them after an outage of the central
 * system) while the main loop is committing batches: the kernel then drops their handshakes
 * and, after its retries, resets them. tests/bench/bench-central-load.sh with 64 clients saw
 * new clients wait 3-15 s for their handshake (SYN retransmits) and some reset; with this
 * backlog, under 1 s and none. */
#define LISTEN_BACKLOG 256

struct _KacCentralServer
{
  GObject            parent_instance;

  SoupServer        *soup;
  KacCentralStore   *store;
  KacCentralMetrics *metrics;
  KacCatalog        *catalog;
  GBytes            *catalog_json;
  char              *catalog_etag;
  GTimeSpan          token_lifetime;

  KacCentralFault    fault;
  guint              fault_count;
  guint              fault_delay_ms;
};

G_DEFINE_FINAL_TYPE (KacCentralServer, kac_central_server, G_TYPE_OBJECT)

/* Answers */

static void
set_route (SoupServerMessage *msg,
           const char        *route)
{
  g_object_set_data (G_OBJECT (msg), ROUTE_KEY, (gpointer) route);
}

static void
respond_bytes (SoupServerMessage *msg,
               guint              status,
               const char        *content_type,
               GBytes            *bytes)
{
  gsize length = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;

  soup_server_message_set_status (msg, status, NULL);
  if (data != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, length);
}

static void
respond_problem_full (SoupServerMessage *msg,
                      KacWireProblem    *problem)
{
  g_autoptr(GBytes) bytes = kac_wire_encode_problem (problem);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  respond_bytes (msg, problem->status, "application/problem+json", bytes);
}

static void
respond_problem (SoupServerMessage *msg,
                 guint              status,
                 const char        *code,
                 gboolean           retryable,
                 const char        *title,
                 const char        *detail)
{
  g_autoptr(KacWireProblem) problem = kac_wire_problem_new (status, code, title, detail, retryable);

  respond_problem_full (msg, problem);
}

static void
respond_storage_failed (SoupServerMessage *msg,
                        GError            *error)
{
  g_warning ("Storage failed: %s", error->message);

  /* The client keeps the request and sends it again later: nothing was committed. */
  respond_problem (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "storage-failed", TRUE,
                   _("The central system cannot store data at the moment. Your work is kept and "
                     "will be sent again automatically."),
                   NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", "30");
}

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              GBytes            *bytes)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Cache-Control", "no-store");
  respond_bytes (msg, status, "application/json", bytes);
}

static void
respond_method_not_allowed (SoupServerMessage *msg,
                            const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  respond_problem (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed", FALSE,
                   _("This address does not accept that kind of request."), NULL);
}

/* Requests */

static gboolean
method_is (SoupServerMessage *msg,
           const char        *method)
{
  return g_strcmp0 (soup_server_message_get_method (msg), method) == 0;
}

static GBytes *
dup_request_body (SoupServerMessage *msg)
{
  return soup_message_body_flatten (soup_server_message_get_request_body (msg));
}

/* A JSON body is required to say so, or to say nothing. */
static gboolean
check_json_content_type (SoupServerMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                            NULL);

  if (type == NULL || g_ascii_strcasecmp (type, "application/json") == 0
      || g_str_has_suffix (type, "+json"))
    return TRUE;

  respond_problem (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", FALSE,
                   _("The request must be sent as JSON (application/json)."), NULL);
  return FALSE;
}

static void
respond_decode_error (SoupServerMessage *msg,
                      GError            *error)
{
  if (g_error_matches (error, KAC_WIRE_ERROR, KAC_WIRE_ERROR_TOO_LARGE))
    respond_problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", FALSE,
                     _("The request is too large. Send fewer records at a time."),
                     error->message);
  else
    respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid-request", FALSE,
                     _("The central system could not read the request. Report this to your "
                       "system administrator."),
                     error->message);
}

/* Authentication */

static KacCentralUser *
authenticate (KacCentralServer  *self,
              SoupServerMessage *msg,
              guint8             token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE])
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  KacCentralUser *user;
  const char *token;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "WWW-Authenticate", "Bearer realm=\"kac-central\"");

  if (header == NULL || g_ascii_strncasecmp (header, "Bearer ", 7) != 0)
    {
      respond_problem (msg, SOUP_STATUS_UNAUTHORIZED, "unauthenticated", FALSE,
                       _("Sign in to the central system first."), NULL);
      return NULL;
    }

  token = header + 7;
  while (*token == ' ')
    token++;
  if (*token == '\0' || strlen (token) > KAC_WIRE_SHORT_MAX_BYTES)
    {
      respond_problem (msg, SOUP_STATUS_UNAUTHORIZED, "invalid-token", FALSE,
                       _("Your sign-in is not valid. Sign in again."), NULL);
      return NULL;
    }

  kac_central_hash_token (token, token_hash);
  user = kac_central_store_lookup_token (self->store, token_hash, now, &error);
  if (error != NULL)
    {
      respond_storage_failed (msg, error);
      return NULL;
    }
  if (user == NULL)
    {
      /* Unknown, expired and revoked tokens get the same answer: which one it was is of no
       * use to the client (it signs in again) and of some use to an attacker. */
      respond_problem (msg, SOUP_STATUS_UNAUTHORIZED, "invalid-token", FALSE,
                       _("Your sign-in has expired or was ended. Sign in again; nothing you "
                         "registered is lost."),
                       NULL);
      return NULL;
    }

  soup_message_headers_remove (soup_server_message_get_response_headers (msg), "WWW-Authenticate");
  return user;
}

static gboolean
user_has_centre (KacCentralUser    *user,
                 SoupServerMessage *msg)
{
  if (user->role == KAC_CENTRAL_ROLE_CLERK || user->role == KAC_CENTRAL_ROLE_MANAGER)
    return TRUE;

  respond_problem (msg, SOUP_STATUS_FORBIDDEN, "forbidden-role", FALSE,
                   _("Only clerks and managers of a centre can do this."), NULL);
  return FALSE;
}

/* Sign-in */

typedef struct
{
  SoupServerMessage *msg;
  KacCentralUser    *user;      /* NULL: no such user */
  char              *username;  /* as sent, for the audit log */
  char              *password;
} SignIn;

static void
sign_in_free (SignIn *sign_in)
{
  g_clear_object (&sign_in->msg);
  g_clear_pointer (&sign_in->user, kac_central_user_free);
  g_free (sign_in->username);
  if (sign_in->password != NULL)
    memset (sign_in->password, 0, strlen (sign_in->password));
  g_free (sign_in->password);
  g_free (sign_in);
}

static void
verify_password_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  SignIn *sign_in = task_data;

  g_task_return_boolean (task,
                         kac_central_verify_password (sign_in->user ? sign_in->user->password_hash : NULL,
                                                      sign_in->password));
}

static void
verify_password_cb (GObject      *source_object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  KacCentralServer *self = KAC_CENTRAL_SERVER (source_object);
  GTask *task = G_TASK (result);
  SignIn *sign_in = g_task_get_task_data (task);
  SoupServerMessage *msg = sign_in->msg;
  g_autoptr(KacWireSession) session = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint8 token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE];

  now = g_date_time_new_now_utc ();
  if (!g_task_propagate_boolean (task, NULL))
    {
      /* Kept by the name tried, not by the account: the log does not tell which names exist.
       * A failure to log does not turn a refusal into anything else. */
      if (!kac_central_store_audit (self->store, KAC_CENTRAL_AUDIT_SIGN_IN_FAILED, NULL,
                                    sign_in->username, soup_server_message_get_remote_host (msg),
                                    now, &error))
        g_warning ("%s", error->message);
      respond_problem (msg, SOUP_STATUS_UNAUTHORIZED, "invalid-credentials", FALSE,
                       _("The user name or the password is wrong. Check both and sign in again."),
                       NULL);
      soup_server_message_unpause (msg);
      return;
    }

  session = g_new0 (KacWireSession, 1);
  session->token = kac_central_new_token ();
  session->expires_at = g_date_time_add (now, self->token_lifetime);
  session->username = g_strdup (sign_in->user->username);
  session->display_name = g_strdup (sign_in->user->display_name);
  session->role = g_strdup (kac_central_role_to_string (sign_in->user->role));
  session->centre_id = g_strdup (sign_in->user->centre_id);
  session->centre_name = g_strdup (sign_in->user->centre_name);
  if (sign_in->user->centre_id != NULL)
    session->centre_kind = g_strdup (kac_centre_kind_to_string (sign_in->user->centre_kind));
  session->institution = g_strdup (sign_in->user->institution);

  /* No sign-in that is not in the audit log. */
  kac_central_hash_token (session->token, token_hash);
  if (!kac_central_store_audit (self->store, KAC_CENTRAL_AUDIT_SIGN_IN, sign_in->user, NULL,
                                soup_server_message_get_remote_host (msg), now, &error)
      || !kac_central_store_add_token (self->store, token_hash, sign_in->user->id,
                                       session->expires_at, &error))
    {
      respond_storage_failed (msg, error);
      soup_server_message_unpause (msg);
      return;
    }

  bytes = kac_wire_encode_session (session);
  respond_json (msg, SOUP_STATUS_OK, bytes);
  soup_server_message_unpause (msg);
}

static void
handle_sign_in (KacCentralServer  *self,
                SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = dup_request_body (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *username = NULL;
  g_autofree char *password = NULL;
  g_autoptr(GTask) task = NULL;
  SignIn *sign_in;

  if (!check_json_content_type (msg))
    return;

  if (!kac_wire_decode_sign_in (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                &username, &password, &error))
    {
      respond_decode_error (msg, error);
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->msg = g_object_ref (msg);
  sign_in->username = g_strdup (username);
  sign_in->password = g_steal_pointer (&password);
  sign_in->user = kac_central_store_lookup_user (self->store, username, &error);
  if (error != NULL)
    {
      sign_in_free (sign_in);
      respond_storage_failed (msg, error);
      return;
    }

  /* Argon2id takes a noticeable fraction of a second on purpose: not on the main loop. */
  soup_server_message_pause (msg);
  task = g_task_new (self, NULL, verify_password_cb, NULL);
  g_task_set_source_tag (task, handle_sign_in);
  g_task_set_task_data (task, sign_in, (GDestroyNotify) sign_in_free);
  g_task_run_in_thread (task, verify_password_thread);
}

static void
handle_sign_out (KacCentralServer  *self,
                 SoupServerMessage *msg)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  guint8 token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE];

  if (!(user = authenticate (self, msg, token_hash)))
    return;

  if (!kac_central_store_revoke_token (self->store, token_hash, &error))
    {
      respond_storage_failed (msg, error);
      return;
    }

  /* The token is revoked already: a failure to log it is reported, not undone. */
  now = g_date_time_new_now_utc ();
  if (!kac_central_store_audit (self->store, KAC_CENTRAL_AUDIT_SIGN_OUT, user, NULL,
                                soup_server_message_get_remote_host (msg), now, &error))
    g_warning ("%s", error->message);

  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* Audit */

/* GET /api/v1/audit?since=ID-or-TIME&limit=N: the audit log, for admins only. @since is the
 * "next" of an earlier page (an entry id) or an ISO 8601 instant. */
static void
handle_audit (KacCentralServer  *self,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GDateTime) since_time = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  const char *since = query != NULL ? g_hash_table_lookup (query, "since") : NULL;
  const char *limit_text = query != NULL ? g_hash_table_lookup (query, "limit") : NULL;
  guint8 token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE];
  guint64 after_id = 0;
  guint64 limit = 100;
  gboolean more = FALSE;

  if (!(user = authenticate (self, msg, token_hash)))
    return;

  if (user->role != KAC_CENTRAL_ROLE_ADMIN)
    {
      respond_problem (msg, SOUP_STATUS_FORBIDDEN, "forbidden-role", FALSE,
                       _("Only administrators of the central system can read the audit log."),
                       NULL);
      return;
    }

  if (limit_text != NULL
      && !g_ascii_string_to_unsigned (limit_text, 10, 1, KAC_CENTRAL_AUDIT_PAGE_MAX, &limit, NULL))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid-limit", FALSE,
                       _("The page size must be a whole number from 1 to 1000."), NULL);
      return;
    }

  if (since != NULL && *since != '\0'
      && !g_ascii_string_to_unsigned (since, 10, 0, G_MAXINT64, &after_id, NULL)
      && (since_time = g_date_time_new_from_iso8601 (since, NULL)) == NULL)
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid-since", FALSE,
                       _("Give “since” as the “next” of an earlier page or as a time like "
                         "2026-03-02T09:00:00Z."),
                       NULL);
      return;
    }

  entries = kac_central_store_list_audit (self->store, (gint64) after_id, since_time, (guint) limit,
                                          &more, &error);
  if (entries == NULL)
    {
      respond_storage_failed (msg, error);
      return;
    }

  answer = kac_central_audit_encode_page (entries, (gint64) after_id, more);
  respond_json (msg, SOUP_STATUS_OK, answer);
}

/* Records */

static const char *
field_of_record_error (int         code,
                       const char **problem_code)
{
  switch (code)
    {
    case KAC_RECORD_ERROR_SERVICE:
      *problem_code = "invalid-service";
      return "service_code";
    case KAC_RECORD_ERROR_CLIENT_NAME:
      *problem_code = "invalid-client-name";
      return "client.name";
    case KAC_RECORD_ERROR_CLIENT_CODE:
      *problem_code = "invalid-personal-code";
      return "client.personal_code";
    case KAC_RECORD_ERROR_NOTES:
      *problem_code = "invalid-notes";
      return "notes";
    case KAC_RECORD_ERROR_SATISFACTION:
      *problem_code = "invalid-satisfaction";
      return "satisfaction";
    default:
      *problem_code = "invalid-record";
      return NULL;
    }
}

static KacWireItemResult *
rejected (const char *uuid,
          const char *code,
          const char *field,
          const char *title)
{
  KacWireItemResult *result = kac_wire_item_result_new (uuid, KAC_WIRE_ITEM_REJECTED);

  result->code = g_strdup (code);
  result->field = g_strdup (field);
  result->title = g_strdup (title);
  return result;
}

static KacWireItemResult *
conflict (const char *uuid)
{
  KacWireItemResult *result = kac_wire_item_result_new (uuid, KAC_WIRE_ITEM_CONFLICT);

  result->code = g_strdup ("uuid-conflict");
  result->field = g_strdup ("uuid");
  result->title = g_strdup (_("The central system already holds a different registration with "
                              "this identity. This registration was not sent; report this to "
                              "your system administrator."));
  return result;
}

/* What an earlier item of the same request with this UUID turned into. */
typedef struct
{
  char  *hash;
  guint  index;
} Seen;

static void
seen_free (Seen *seen)
{
  g_free (seen->hash);
  g_free (seen);
}

/* Decides one item inside the batch transaction. Returns NULL with @error only when the store
 * failed (the whole batch is then rolled back). */
static KacWireItemResult *
process_item (KacCentralServer  *self,
              KacWireBatchItem  *item,
              KacCentralUser    *user,
              GHashTable        *seen,
              GPtrArray         *results,
              GDateTime         *now,
              GError           **error)
{
  KacRecord *record = item->record;
  g_autofree char *body = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *central_number = NULL;
  g_autoptr(KacCentralStoredRecord) stored = NULL;
  g_autoptr(GError) invalid = NULL;
  g_autoptr(GDateTime) latest = NULL;
  const char *institution_code;
  const char *problem_code;
  const char *field;
  KacService *service;
  KacWireItemResult *result;
  Seen *earlier;

  if (record == NULL)
    {
      g_autofree char *title =
        g_strdup_printf (_("The central system could not read this registration (%s). Report "
                           "this to your system administrator."),
                         item->error->message);

      return rejected (item->uuid, "malformed-record", item->field, title);
    }

  /* The canonical body is what is stored and hashed: it is taken before validation, which
   * may normalise the personal code in place. */
  body = kac_wire_encode_record (record);
  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);

  /* The same UUID twice in one request: a later copy follows the first one's fate. */
  earlier = g_hash_table_lookup (seen, item->uuid);
  if (earlier != NULL)
    {
      KacWireItemResult *first = g_ptr_array_index (results, earlier->index);

      if (g_strcmp0 (earlier->hash, hash) != 0)
        return conflict (item->uuid);

      result = kac_wire_item_result_copy (first);
      if (result->status == KAC_WIRE_ITEM_ACCEPTED)
        {
          result->status = KAC_WIRE_ITEM_DUPLICATE;
          result->replay = FALSE;
        }
      return result;
    }
  else
    {
      Seen *entry = g_new0 (Seen, 1);

      entry->hash = g_strdup (hash);
      entry->index = results->len;
      g_hash_table_insert (seen, g_strdup (item->uuid), entry);
    }

  /* MK 401 §22: a clerk acts for one centre only. */
  if (g_strcmp0 (kac_record_get_centre_id (record), user->centre_id) != 0)
    return rejected (item->uuid, "wrong-centre", "centre_id",
                     _("This registration names another centre than the one you are signed in "
                       "for. Check the centre in the preferences, or sign in for that centre."));

  stored = kac_central_store_find_record (self->store, item->uuid, error);
  if (stored == NULL && *error != NULL)
    return NULL;

  if (stored != NULL)
    {
      if (g_strcmp0 (stored->hash, hash) != 0 || g_strcmp0 (stored->centre_id, user->centre_id) != 0)
        return conflict (item->uuid);

      /* The first answer again: the client's resend after an answer it never got. */
      result = kac_wire_item_result_new (item->uuid, KAC_WIRE_ITEM_ACCEPTED);
      result->central_number = g_strdup (stored->central_number);
      result->replay = TRUE;
      return result;
    }

  if (!kac_record_validate (record, self->catalog, &invalid))
    {
      field = field_of_record_error (invalid->code, &problem_code);
      return rejected (item->uuid, problem_code, field, invalid->message);
    }

  service = kac_record_get_service_code (record) != NULL
            ? kac_catalog_lookup (self->catalog, kac_record_get_service_code (record)) : NULL;
  institution_code = service != NULL ? kac_service_get_institution_code (service)
                                     : kac_record_get_institution_code (record);
  if (service != NULL && kac_record_get_institution_code (record) != NULL
      && g_strcmp0 (kac_record_get_institution_code (record), institution_code) != 0)
    return rejected (item->uuid, "institution-mismatch", "institution_code",
                     _("The institution of this registration does not match its service in "
                       "the catalogue. Choose the service again."));

  latest = g_date_time_add (now, CREATED_AT_FUTURE_SLACK);
  if (g_date_time_compare (kac_record_get_created_at (record), latest) > 0)
    return rejected (item->uuid, "created-in-future", "created_at",
                     _("This registration is dated in the future. Check the computer’s date "
                       "and time."));

  central_number = kac_central_store_insert_record (self->store, record, body, hash,
                                                    institution_code, user, now, error);
  if (central_number == NULL)
    return NULL;

  result = kac_wire_item_result_new (item->uuid, KAC_WIRE_ITEM_ACCEPTED);
  result->central_number = g_steal_pointer (&central_number);
  return result;
}

static const char *
outcome_of (KacWireItemResult *result)
{
  if (result->status == KAC_WIRE_ITEM_ACCEPTED && result->replay)
    return "replay";

  return kac_wire_item_status_to_string (result->status);
}

static void
handle_records (KacCentralServer  *self,
                SoupServerMessage *msg)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  guint8 token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE];

  if (!(user = authenticate (self, msg, token_hash)) || !user_has_centre (user, msg)
      || !check_json_content_type (msg))
    return;

  body = dup_request_body (msg);
  items = kac_wire_decode_batch_request (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                         &error);
  if (items == NULL)
    {
      respond_decode_error (msg, error);
      return;
    }

  results = g_ptr_array_new_full (items->len, (GDestroyNotify) kac_wire_item_result_free);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) seen_free);
  now = g_date_time_new_now_utc ();

  if (!kac_central_store_begin (self->store, &error))
    {
      respond_storage_failed (msg, error);
      return;
    }

  for (guint i = 0; i < items->len; i++)
    {
      KacWireItemResult *result = process_item (self, g_ptr_array_index (items, i), user, seen,
                                                results, now, &error);

      if (result == NULL)
        {
          kac_central_store_rollback (self->store);
          respond_storage_failed (msg, error);
          return;
        }
      g_ptr_array_add (results, result);
    }

  /* The answer exists only after the COMMIT: a crash before it leaves the client without an
   * answer, and its resend is then answered from what was committed. */
  if (!kac_central_store_commit (self->store, &error))
    {
      respond_storage_failed (msg, error);
      return;
    }

  for (guint i = 0; i < results->len; i++)
    kac_central_metrics_count_item (self->metrics, outcome_of (g_ptr_array_index (results, i)));

  answer = kac_wire_encode_batch_response (results);
  respond_json (msg, SOUP_STATUS_OK, answer);
}

/* Status changes */

/* "epoch.seq" → seq. Answers 400 or 410 itself and returns FALSE. */
static gboolean
parse_cursor (KacCentralServer  *self,
              SoupServerMessage *msg,
              const char        *cursor,
              gint64            *since)
{
  g_autoptr(GError) error = NULL;
  const char *dot;
  guint64 seq;
  gint64 last;

  *since = 0;
  if (cursor == NULL || *cursor == '\0')
    return TRUE;

  dot = strchr (cursor, '.');
  if (dot == NULL || dot == cursor
      || !g_ascii_string_to_unsigned (dot + 1, 10, 0, G_MAXINT64, &seq, NULL))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid-cursor", FALSE,
                       _("The central system could not read the position of the last update. "
                         "Report this to your system administrator."),
                       NULL);
      return FALSE;
    }

  last = kac_central_store_get_last_change (self->store, &error);
  if (last < 0)
    {
      respond_storage_failed (msg, error);
      return FALSE;
    }

  /* Another epoch, or a position the store has never reached (it was restored from an older
   * backup): the client's copy cannot be continued and must be fetched again. */
  if (strlen (kac_central_store_get_epoch (self->store)) != (gsize) (dot - cursor)
      || strncmp (cursor, kac_central_store_get_epoch (self->store), dot - cursor) != 0
      || (gint64) seq > last)
    {
      respond_problem (msg, SOUP_STATUS_GONE, "cursor-expired", FALSE,
                       _("The central system’s history was reset. Everything is being fetched "
                         "again from the start."),
                       NULL);
      return FALSE;
    }

  *since = (gint64) seq;
  return TRUE;
}

static void
handle_changes (KacCentralServer  *self,
                SoupServerMessage *msg,
                GHashTable        *query)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(KacWireChangesPage) page = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = NULL;
  const char *limit_text = query ? g_hash_table_lookup (query, "limit") : NULL;
  guint8 token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE];
  guint64 limit = KAC_CENTRAL_CHANGES_PAGE_DEFAULT;
  gint64 since;

  if (!(user = authenticate (self, msg, token_hash)) || !user_has_centre (user, msg))
    return;

  if (limit_text != NULL
      && !g_ascii_string_to_unsigned (limit_text, 10, 1, KAC_CENTRAL_CHANGES_PAGE_MAX, &limit, NULL))
    {
      respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid-limit", FALSE,
                       _("The page size must be a whole number from 1 to 1000."), NULL);
      return;
    }

  if (!parse_cursor (self, msg, query ? g_hash_table_lookup (query, "since") : NULL, &since))
    return;

  page = kac_central_store_list_changes (self->store, user->centre_id, since, (guint) limit, &error);
  if (page == NULL)
    {
      respond_storage_failed (msg, error);
      return;
    }

  answer = kac_wire_encode_changes_page (page);
  respond_json (msg, SOUP_STATUS_OK, answer);
}

static void
handle_status (KacCentralServer  *self,
               SoupServerMessage *msg,
               const char        *record_id)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *due_date = NULL;
  g_autofree char *note = NULL;
  guint8 token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE];
  KacApplicationStatus status;

  if (!(user = authenticate (self, msg, token_hash)))
    return;

  if (user->role != KAC_CENTRAL_ROLE_INSTITUTION && user->role != KAC_CENTRAL_ROLE_ADMIN)
    {
      respond_problem (msg, SOUP_STATUS_FORBIDDEN, "forbidden-role", FALSE,
                       _("Only institution users can change the status of an application."),
                       NULL);
      return;
    }

  if (!check_json_content_type (msg))
    return;

  body = dup_request_body (msg);
  if (!kac_wire_decode_status_change (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                      &status, &due_date, &note, &error))
    {
      respond_decode_error (msg, error);
      return;
    }

  now = g_date_time_new_now_utc ();
  if (!kac_central_store_set_status (self->store, record_id, status, due_date, note, user, NULL,
                                     now, &error))
    {
      if (g_error_matches (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_NOT_FOUND))
        respond_problem (msg, SOUP_STATUS_NOT_FOUND, "record-not-found", FALSE,
                         _("There is no such registration."), NULL);
      else if (g_error_matches (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_FORBIDDEN))
        respond_problem (msg, SOUP_STATUS_FORBIDDEN, "other-institution", FALSE,
                         error->message, NULL);
      else if (g_error_matches (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_TRANSITION))
        respond_problem (msg, SOUP_STATUS_CONFLICT, "invalid-transition", FALSE,
                         error->message, NULL);
      else if (g_error_matches (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_INVALID))
        respond_problem (msg, SOUP_STATUS_BAD_REQUEST, "invalid-request", FALSE,
                         error->message, NULL);
      else
        respond_storage_failed (msg, error);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

/* Figures */

/* A "YYYY-MM-DD" query parameter into @date; FALSE (with a field error in @problem) when it is
 * missing or not a real date. */
static gboolean
parse_query_date (GHashTable     *query,
                  const char     *name,
                  GDate          *date,
                  KacWireProblem *problem)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, name) : NULL;

  if (text == NULL || !kac_wire_date_is_valid (text))
    {
      kac_wire_problem_add_error (problem, name,
                                  text == NULL ? _("Give the day, as YYYY-MM-DD.")
                                               : _("This is not a date of the form YYYY-MM-DD."));
      return FALSE;
    }

  g_date_clear (date, 1);
  g_date_set_dmy (date, (GDateDay) g_ascii_strtoull (text + 8, NULL, 10),
                  (GDateMonth) g_ascii_strtoull (text + 5, NULL, 10),
                  (GDateYear) g_ascii_strtoull (text, NULL, 10));
  return TRUE;
}

/* GET /api/v1/stats?centre=ID&from=YYYY-MM-DD&to=YYYY-MM-DD: a centre's figures are its
 * managers' (MK 401 §22: a user sees their own centre only) and the admins'; clerks register,
 * they do not report. A manager may leave out centre. */
static void
handle_stats (KacCentralServer  *self,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(KacWireProblem) problem = NULL;
  g_autoptr(KacWireStats) stats = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  guint8 token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE];
  const char *centre_id = query != NULL ? g_hash_table_lookup (query, "centre") : NULL;
  gboolean from_ok, to_ok;
  GDate from, to, as_of;

  if (!(user = authenticate (self, msg, token_hash)))
    return;

  if (user->role != KAC_CENTRAL_ROLE_MANAGER && user->role != KAC_CENTRAL_ROLE_ADMIN)
    {
      respond_problem (msg, SOUP_STATUS_FORBIDDEN, "forbidden-role", FALSE,
                       _("Only the centre’s managers can see its figures. Your own registrations "
                         "are counted on this computer."),
                       NULL);
      return;
    }

  if (user->role == KAC_CENTRAL_ROLE_MANAGER)
    {
      if (centre_id == NULL || *centre_id == '\0')
        centre_id = user->centre_id;
      else if (g_strcmp0 (centre_id, user->centre_id) != 0)
        {
          respond_problem (msg, SOUP_STATUS_FORBIDDEN, "other-centre", FALSE,
                           _("You can see the figures of your own centre only."), NULL);
          return;
        }
    }

  problem = kac_wire_problem_new (SOUP_STATUS_BAD_REQUEST, "invalid-range",
                                  _("Choose the centre and the first and last day of the figures."),
                                  NULL, FALSE);
  if (centre_id == NULL || *centre_id == '\0')
    kac_wire_problem_add_error (problem, "centre", _("Give the centre’s id."));
  from_ok = parse_query_date (query, "from", &from, problem);
  to_ok = parse_query_date (query, "to", &to, problem);
  if (from_ok && to_ok
      && (g_date_compare (&from, &to) > 0
          || g_date_get_julian (&to) - g_date_get_julian (&from) + 1 > KAC_WIRE_STATS_MAX_DAYS))
    {
      g_autofree char *message = g_strdup_printf (_("The last day must not be before the first, "
                                                    "and a range is at most %u days long."),
                                                  (guint) KAC_WIRE_STATS_MAX_DAYS);

      kac_wire_problem_add_error (problem, "to", message);
    }
  if (problem->errors->len > 0)
    {
      respond_problem_full (msg, problem);
      return;
    }

  /* Delays are judged on today in Latvia. */
  now = g_date_time_new_now_utc ();
  kac_calendar_date_of (now, &as_of);

  stats = kac_central_store_get_stats (self->store, centre_id, &from, &to, &as_of, &error);
  if (stats == NULL)
    {
      if (g_error_matches (error, KAC_CENTRAL_STORE_ERROR, KAC_CENTRAL_STORE_ERROR_NOT_FOUND))
        respond_problem (msg, SOUP_STATUS_NOT_FOUND, "centre-not-found", FALSE,
                         _("There is no such centre."), error->message);
      else
        respond_storage_failed (msg, error);
      return;
    }

  answer = kac_wire_encode_stats (stats);
  respond_json (msg, SOUP_STATUS_OK, answer);
}

/* Catalogue, health, metrics, OpenAPI */

/* RFC 9110 §13.1.2: a list of entity tags, weak ones compared weakly, or "*". */
static gboolean
etag_matches (const char *if_none_match,
              const char *etag)
{
  g_auto(GStrv) tags = NULL;

  if (if_none_match == NULL)
    return FALSE;

  tags = g_strsplit (if_none_match, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }

  return FALSE;
}

static void
handle_catalog (KacCentralServer  *self,
                SoupServerMessage *msg)
{
  g_autoptr(KacCentralUser) user = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  guint8 token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE];
  const char *if_none_match;

  if (!(user = authenticate (self, msg, token_hash)))
    return;

  soup_message_headers_replace (headers, "ETag", self->catalog_etag);
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");

  if_none_match = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                 "If-None-Match");
  if (etag_matches (if_none_match, self->catalog_etag))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  respond_bytes (msg, SOUP_STATUS_OK, "application/json", self->catalog_json);
}

static void
handle_healthz (KacCentralServer  *self,
                SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gint64 last;
  char *text;
  gsize length;

  /* Healthy means the database answers, not only that the process runs. */
  last = kac_central_store_get_last_change (self->store, &error);
  if (last < 0)
    {
      respond_storage_failed (msg, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "ok");
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, PACKAGE_VERSION);
  json_builder_set_member_name (builder, "records");
  json_builder_add_int_value (builder, kac_central_store_get_n_records (self->store));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (text, length);
  respond_json (msg, SOUP_STATUS_OK, bytes);
}

static void
handle_metrics (KacCentralServer  *self,
                SoupServerMessage *msg)
{
  char *text = kac_central_metrics_render (self->metrics, kac_central_store_get_n_records (self->store));

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain; version=0.0.4; charset=utf-8",
                                    SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
handle_openapi (KacCentralServer  *self,
                SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data (OPENAPI_RESOURCE, 0, NULL);

  if (bytes == NULL)
    {
      respond_problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", FALSE,
                       _("This server was built without its API description."), NULL);
      return;
    }

  respond_bytes (msg, SOUP_STATUS_OK, "application/yaml", bytes);
}

/* Routing */

/* "/api/v1/records/<id>/status" → "<id>" (NULL otherwise). */
static char *
match_status_path (const char *path)
{
  const char *prefix = "/api/v1/records/";
  const char *suffix = "/status";
  const char *start, *end;

  if (!g_str_has_prefix (path, prefix) || !g_str_has_suffix (path, suffix))
    return NULL;

  start = path + strlen (prefix);
  end = path + strlen (path) - strlen (suffix);
  if (end <= start || memchr (start, '/', end - start) != NULL)
    return NULL;

  return g_strndup (start, end - start);
}

static const char *
route_of (const char *path)
{
  static const char * const routes[] = {
    "/healthz", "/metrics", "/api/v1/session", "/api/v1/records", "/api/v1/records/changes",
    "/api/v1/catalog", "/api/v1/openapi.yaml", "/api/v1/stats", "/api/v1/audit",
  };
  g_autofree char *record_id = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (path, routes[i]))
      return routes[i];

  if ((record_id = match_status_path (path)) != NULL)
    return "/api/v1/records/{uuid}/status";

  if (_kac_central_materials_route_of (path) != NULL)
    return _kac_central_materials_route_of (path);

  return "other";
}

static void
dispatch (KacCentralServer  *self,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query)
{
  const char *route = route_of (path);
  g_autofree char *record_id = NULL;

  set_route (msg, route);

  if (g_str_equal (route, "/healthz"))
    {
      if (method_is (msg, "GET"))
        handle_healthz (self, msg);
      else
        respond_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (route, "/metrics"))
    {
      if (method_is (msg, "GET"))
        handle_metrics (self, msg);
      else
        respond_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (route, "/api/v1/session"))
    {
      if (method_is (msg, "POST"))
        handle_sign_in (self, msg);
      else if (method_is (msg, "DELETE"))
        handle_sign_out (self, msg);
      else
        respond_method_not_allowed (msg, "POST, DELETE");
    }
  else if (g_str_equal (route, "/api/v1/records"))
    {
      if (method_is (msg, "POST"))
        handle_records (self, msg);
      else
        respond_method_not_allowed (msg, "POST");
    }
  else if (g_str_equal (route, "/api/v1/records/changes"))
    {
      if (method_is (msg, "GET"))
        handle_changes (self, msg, query);
      else
        respond_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (route, "/api/v1/catalog"))
    {
      if (method_is (msg, "GET"))
        handle_catalog (self, msg);
      else
        respond_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (route, "/api/v1/openapi.yaml"))
    {
      if (method_is (msg, "GET"))
        handle_openapi (self, msg);
      else
        respond_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (route, "/api/v1/stats"))
    {
      if (method_is (msg, "GET"))
        handle_stats (self, msg, query);
      else
        respond_method_not_allowed (msg, "GET");
    }
  else if (g_str_equal (route, "/api/v1/audit"))
    {
      if (method_is (msg, "GET"))
        handle_audit (self, msg, query);
      else
        respond_method_not_allowed (msg, "GET");
    }
  else if ((record_id = match_status_path (path)) != NULL)
    {
      if (method_is (msg, "POST"))
        handle_status (self, msg, record_id);
      else
        respond_method_not_allowed (msg, "POST");
    }
  else if (_kac_central_materials_dispatch (self, msg, path, query))
    ;
  else
    respond_problem (msg, SOUP_STATUS_NOT_FOUND, "not-found", FALSE,
                     _("There is nothing at this address of the central system."), NULL);
}

/* Faults (tests) */

static void
drop_connection (SoupServerMessage *msg)
{
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

typedef struct
{
  KacCentralServer  *self;
  SoupServerMessage *msg;
  char              *path;
  GHashTable        *query;
  gboolean           disconnected;
} Delayed;

static void
delayed_free (Delayed *delayed)
{
  g_signal_handlers_disconnect_by_data (delayed->msg, delayed);
  g_object_unref (delayed->self);
  g_object_unref (delayed->msg);
  g_free (delayed->path);
  g_clear_pointer (&delayed->query, g_hash_table_unref);
  g_free (delayed);
}

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  /* The request is done even when the client gave up waiting (as a slow server would), but
   * a message whose connection is gone cannot be unpaused. */
  dispatch (delayed->self, delayed->msg, delayed->path, delayed->query);
  if (!delayed->disconnected)
    soup_server_message_unpause (delayed->msg);
  return G_SOURCE_REMOVE;
}

static void
delayed_disconnected_cb (SoupServerMessage *msg,
                         Delayed           *delayed)
{
  delayed->disconnected = TRUE;
}

/* Shows the injected fault on this request; FALSE when it is handled normally. */
static gboolean
apply_fault (KacCentralServer  *self,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query)
{
  KacCentralFault fault = self->fault;

  if (fault == KAC_CENTRAL_FAULT_NONE || self->fault_count == 0
      || !g_str_has_prefix (path, "/api/v1/") || g_str_equal (path, "/api/v1/session"))
    return FALSE;

  if (--self->fault_count == 0)
    self->fault = KAC_CENTRAL_FAULT_NONE;

  switch (fault)
    {
    case KAC_CENTRAL_FAULT_SERVER_ERROR:
      set_route (msg, route_of (path));
      respond_problem (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "injected-fault", TRUE,
                       _("The central system had an internal error. Your work is kept and will "
                         "be sent again automatically."),
                       NULL);
      return TRUE;

    case KAC_CENTRAL_FAULT_GARBAGE:
      set_route (msg, route_of (path));
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC,
                                        "<html>Gateway says hello", 24);
      return TRUE;

    case KAC_CENTRAL_FAULT_DROP:
      set_route (msg, route_of (path));
      drop_connection (msg);
      return TRUE;

    case KAC_CENTRAL_FAULT_DROP_AFTER_COMMIT:
      dispatch (self, msg, path, query);
      drop_connection (msg);
      return TRUE;

    case KAC_CENTRAL_FAULT_DELAY:
      {
        Delayed *delayed = g_new0 (Delayed, 1);

        delayed->self = g_object_ref (self);
        delayed->msg = g_object_ref (msg);
        delayed->path = g_strdup (path);
        delayed->query = query != NULL ? g_hash_table_ref (query) : NULL;
        g_signal_connect (msg, "disconnected", G_CALLBACK (delayed_disconnected_cb), delayed);
        soup_server_message_pause (msg);
        g_timeout_add_full (G_PRIORITY_DEFAULT, self->fault_delay_ms, delayed_cb, delayed,
                            (GDestroyNotify) delayed_free);
        return TRUE;
      }

    case KAC_CENTRAL_FAULT_NONE:
    default:
      return FALSE;
    }
}

static void
handle_request_cb (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  KacCentralServer *self = KAC_CENTRAL_SERVER (user_data);

  if (!apply_fault (self, msg, path, query))
    dispatch (self, msg, path, query);
}

/* Refuses oversized or unsized bodies from the headers, before libsoup reads them into
 * memory: a 4 GiB upload must cost the server nothing. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *route = route_of (path);
  goffset limit = g_str_equal (route, "/api/v1/records") ? KAC_WIRE_BODY_MAX_BYTES
                                                          : KAC_CENTRAL_SMALL_BODY_MAX_BYTES;

  if (_kac_central_materials_body_limit (route) > 0)
    limit = _kac_central_materials_body_limit (route);

  set_route (msg, route);

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_NONE:
      return;

    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) <= limit)
        return;
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      respond_problem (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large", FALSE,
                       _("The request is too large. Send fewer records at a time."), NULL);
      return;

    case SOUP_ENCODING_CHUNKED:
    case SOUP_ENCODING_EOF:
    case SOUP_ENCODING_BYTERANGES:
    default:
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      respond_problem (msg, SOUP_STATUS_LENGTH_REQUIRED, "length-required", FALSE,
                       _("The request must state its length (Content-Length)."), NULL);
      return;
    }
}

static void
request_started_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  gint64 *start = g_new (gint64, 1);

  *start = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), START_KEY, start, g_free);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  KacCentralServer *self = KAC_CENTRAL_SERVER (user_data);
  const char *route = g_object_get_data (G_OBJECT (msg), ROUTE_KEY);
  gint64 *start = g_object_get_data (G_OBJECT (msg), START_KEY);
  double seconds = start != NULL ? (g_get_monotonic_time () - *start) / (double) G_USEC_PER_SEC : 0;

  kac_central_metrics_observe (self->metrics, route != NULL ? route : "other",
                               soup_server_message_get_status (msg), seconds);
}

/* GObject */

static void
kac_central_server_dispose (GObject *object)
{
  KacCentralServer *self = (KacCentralServer *)object;

  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
    }
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (kac_central_server_parent_class)->dispose (object);
}

static void
kac_central_server_finalize (GObject *object)
{
  KacCentralServer *self = (KacCentralServer *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->metrics);
  g_clear_object (&self->catalog);
  g_clear_pointer (&self->catalog_json, g_bytes_unref);
  g_free (self->catalog_etag);

  G_OBJECT_CLASS (kac_central_server_parent_class)->finalize (object);
}

static void
kac_central_server_class_init (KacCentralServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kac_central_server_dispose;
  object_class->finalize = kac_central_server_finalize;
}

static void
kac_central_server_init (KacCentralServer *self)
{
  self->token_lifetime = KAC_CENTRAL_DEFAULT_TOKEN_LIFETIME;
  self->metrics = kac_central_metrics_new ();
}

/* Public API */

KacCentralServer *
kac_central_server_new (KacCentralStore  *store,
                        GBytes           *catalog_json,
                        GError          **error)
{
  g_autoptr(KacCentralServer) self = NULL;
  g_autofree char *digest = NULL;

  g_return_val_if_fail (KAC_CENTRAL_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (KAC_CENTRAL_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);

  if (catalog_json != NULL)
    self->catalog_json = g_bytes_ref (catalog_json);
  else if (!(self->catalog_json = g_resources_lookup_data (SAMPLE_CATALOG_RESOURCE, 0, error)))
    return NULL;

  if (!(self->catalog = kac_wire_decode_catalog (self->catalog_json, error)))
    return NULL;

  digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, self->catalog_json);
  self->catalog_etag = g_strdup_printf ("\"%.32s\"", digest);

  return g_steal_pointer (&self);
}

void
kac_central_server_set_token_lifetime (KacCentralServer *self,
                                       GTimeSpan         lifetime)
{
  g_return_if_fail (KAC_CENTRAL_IS_SERVER (self));
  g_return_if_fail (lifetime > 0);

  self->token_lifetime = lifetime;
}

gboolean
kac_central_server_listen (KacCentralServer  *self,
                           GTlsCertificate   *certificate,
                           const char        *address,
                           guint              port,
                           GError           **error)
{
  g_autoptr(GInetAddress) inet_address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) listener = NULL;

  g_return_val_if_fail (KAC_CENTRAL_IS_SERVER (self), FALSE);
  g_return_val_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);
  g_return_val_if_fail (port <= 65535, FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  inet_address = g_inet_address_new_from_string (address);
  if (inet_address == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address."), address);
      return FALSE;
    }

  /* Registrations carry personal codes: they cross a network only encrypted. */
  if (certificate == NULL && !g_inet_address_get_is_loopback (inet_address))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("Plain HTTP is allowed only on a loopback address (127.0.0.1 or ::1), "
                     "not on %s. Give a certificate and key for HTTPS."),
                   address);
      return FALSE;
    }

  self->soup = soup_server_new ("server-header", "kac-central/" PACKAGE_VERSION " ", NULL);
  if (certificate != NULL)
    soup_server_set_tls_certificate (self->soup, certificate);

  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);

  /* Our own socket rather than soup_server_listen(), only to set its backlog; bound with
   * address reuse as libsoup binds, so that a restarted server gets its port back. */
  socket_address = g_inet_socket_address_new (inet_address, port);
  listener = g_socket_new (g_inet_address_get_family (inet_address), G_SOCKET_TYPE_STREAM,
                           G_SOCKET_PROTOCOL_TCP, error);
  if (listener != NULL)
    g_socket_set_listen_backlog (listener, LISTEN_BACKLOG);
  if (listener == NULL
      || !g_socket_bind (listener, socket_address, TRUE, error)
      || !g_socket_listen (listener, error)
      || !soup_server_listen_socket (self->soup, listener,
                                     certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0, error))
    {
      g_clear_object (&self->soup);
      return FALSE;
    }

  return TRUE;
}

GUri *
kac_central_server_get_uri (KacCentralServer *self)
{
  GSList *uris;
  GUri *uri;

  g_return_val_if_fail (KAC_CENTRAL_IS_SERVER (self), NULL);

  if (self->soup == NULL)
    return NULL;

  uris = soup_server_get_uris (self->soup);
  if (uris == NULL)
    return NULL;

  uri = g_uri_ref (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return uri;
}

KacCentralMetrics *
kac_central_server_get_metrics (KacCentralServer *self)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_SERVER (self), NULL);

  return self->metrics;
}

KacCentralStore *
kac_central_server_get_store (KacCentralServer *self)
{
  g_return_val_if_fail (KAC_CENTRAL_IS_SERVER (self), NULL);

  return self->store;
}

void
kac_central_server_disconnect (KacCentralServer *self)
{
  g_return_if_fail (KAC_CENTRAL_IS_SERVER (self));

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

void
kac_central_server_inject_fault (KacCentralServer *self,
                                 KacCentralFault   fault,
                                 guint             n_requests,
                                 guint             delay_ms)
{
  g_return_if_fail (KAC_CENTRAL_IS_SERVER (self));
  g_return_if_fail (fault <= KAC_CENTRAL_FAULT_DELAY);

  self->fault = n_requests > 0 ? fault : KAC_CENTRAL_FAULT_NONE;
  self->fault_count = n_requests;
  self->fault_delay_ms = delay_ms;
}

/* Private API for the routes kept in other files (kac-central-server-private.h) */

KacCentralUser *
_kac_central_server_authenticate (KacCentralServer  *self,
                                  SoupServerMessage *msg)
{
  guint8 token_hash[KAC_CENTRAL_TOKEN_HASH_SIZE];

  return authenticate (self, msg, token_hash);
}

KacCatalog *
_kac_central_server_get_catalog (KacCentralServer *self)
{
  return self->catalog;
}

void
_kac_central_respond_problem (SoupServerMessage *msg,
                              guint              status,
                              const char        *code,
                              gboolean           retryable,
                              const char        *title,
                              const char        *detail)
{
  respond_problem (msg, status, code, retryable, title, detail);
}

void
_kac_central_respond_storage_failed (SoupServerMessage *msg,
                                     GError            *error)
{
  respond_storage_failed (msg, error);
}

void
_kac_central_respond_json (SoupServerMessage *msg,
                           guint              status,
                           GBytes            *bytes)
{
  respond_json (msg, status, bytes);
}

void
_kac_central_respond_bytes (SoupServerMessage *msg,
                            guint              status,
                            const char        *content_type,
                            GBytes            *bytes)
{
  respond_bytes (msg, status, content_type, bytes);
}

void
_kac_central_respond_method_not_allowed (SoupServerMessage *msg,
                                         const char        *allow)
{
  respond_method_not_allowed (msg, allow);
}

void
_kac_central_respond_decode_error (SoupServerMessage *msg,
                                   GError            *error)
{
  respond_decode_error (msg, error);
}

gboolean
_kac_central_parse_cursor (KacCentralServer  *self,
                           SoupServerMessage *msg,
                           const char        *cursor,
                           gint64            *since)
{
  return parse_cursor (self, msg, cursor, since);
}

gboolean
_kac_central_etag_matches (const char *if_none_match,
                           const char *etag)
{
  return etag_matches (if_none_match, etag);
}
