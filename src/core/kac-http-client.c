/* kac-http-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One SoupSession per client, with its own TLS database when a CA file is given. Each request
 * is a new SoupMessage (libsoup cannot send one twice) sent with
 * soup_session_send_and_read_async(); the answers are small JSON documents. The outcome is
 * sorted here, once, into the classes of KacHttpError, so that the engine decides by class.
 */
#define G_LOG_DOMAIN "kac-http-client"

#include "config.h"

#include "kac-http-client.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

/* Errors
 *
 * An extended error domain: the HTTP status, the problem code and Retry-After travel with the
 * GError through GTask, so that _finish keeps the usual signature. */

typedef struct
{
  guint  status;
  char  *code;
  guint  retry_after;
} KacHttpErrorPrivate;

static void
kac_http_error_private_init (KacHttpErrorPrivate *priv)
{
  priv->status = 0;
  priv->code = NULL;
  priv->retry_after = 0;
}

static void
kac_http_error_private_copy (const KacHttpErrorPrivate *src,
                             KacHttpErrorPrivate       *dest)
{
  dest->status = src->status;
  dest->code = g_strdup (src->code);
  dest->retry_after = src->retry_after;
}

static void
kac_http_error_private_clear (KacHttpErrorPrivate *priv)
{
  g_clear_pointer (&priv->code, g_free);
}

G_DEFINE_EXTENDED_ERROR (KacHttpError, kac_http_error)

struct _KacHttpClient
{
  GObject       parent_instance;

  char         *server_uri;
  char         *ca_file;
  char         *token;
  GUri         *base;
  SoupSession  *session;
  guint         request_timeout;
  guint64       bytes_received;
};

G_DEFINE_FINAL_TYPE (KacHttpClient, kac_http_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER_URI,
  PROP_CA_FILE,
  PROP_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  REQUEST_RECORDS,
  REQUEST_CHANGES,
  REQUEST_SIGN_IN,
  REQUEST_MATERIALS,
  REQUEST_NOTICES,
  REQUEST_ATTACHMENT,
  REQUEST_STATS,
} RequestKind;

/* The task data of one request. */
typedef struct
{
  RequestKind    kind;
  SoupMessage   *message;
  GCancellable  *cancellable;   /* ours: cancelled by the caller's or by the deadline */
  GCancellable  *outer;         /* the caller's, or NULL */
  gulong         outer_id;
  GSource       *deadline;
  gboolean       timed_out;
  guint          n_records;
  char          *sha256;        /* REQUEST_ATTACHMENT: what the bytes must hash to */
} Request;

static void
request_free (Request *request)
{
  if (request->deadline != NULL)
    {
      g_source_destroy (request->deadline);
      g_source_unref (request->deadline);
    }
  if (request->outer != NULL)
    {
      g_cancellable_disconnect (request->outer, request->outer_id);
      g_object_unref (request->outer);
    }
  g_clear_object (&request->cancellable);
  g_clear_object (&request->message);
  g_free (request->sha256);
  g_free (request);
}

/* Errors */

static GError *
http_error_new (KacHttpError  code,
                guint         status,
                const char   *problem_code,
                guint         retry_after,
                const char   *message)
{
  GError *error = g_error_new_literal (KAC_HTTP_ERROR, code, message);
  KacHttpErrorPrivate *priv = kac_http_error_get_private (error);

  priv->status = status;
  priv->code = g_strdup (problem_code);
  priv->retry_after = retry_after;

  return error;
}

gboolean
kac_http_error_is_transient (const GError *error)
{
  g_return_val_if_fail (error != NULL, FALSE);

  return error->domain == KAC_HTTP_ERROR &&
         (error->code == KAC_HTTP_ERROR_NETWORK ||
          error->code == KAC_HTTP_ERROR_TIMEOUT ||
          error->code == KAC_HTTP_ERROR_SERVER);
}

guint
kac_http_error_get_status (const GError *error)
{
  g_return_val_if_fail (error != NULL, 0);

  if (error->domain != KAC_HTTP_ERROR)
    return 0;

  return kac_http_error_get_private (error)->status;
}

const char *
kac_http_error_get_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain != KAC_HTTP_ERROR)
    return NULL;

  return kac_http_error_get_private (error)->code;
}

guint
kac_http_error_get_retry_after (const GError *error)
{
  g_return_val_if_fail (error != NULL, 0);

  if (error->domain != KAC_HTTP_ERROR)
    return 0;

  return kac_http_error_get_private (error)->retry_after;
}

/* Helpers */

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/* Delta-seconds or an HTTP date; capped at a day so that a broken header cannot stop sending
 * for ever. */
static guint
parse_retry_after (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                    "Retry-After");
  guint64 seconds = 0;

  if (value == NULL)
    return 0;

  if (g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT64, &seconds, NULL))
    return (guint) MIN (seconds, 24 * 3600);

  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    GTimeSpan span;

    if (when == NULL)
      return 0;

    span = g_date_time_difference (when, now);
    if (span <= 0)
      return 0;

    return (guint) MIN (span / G_TIME_SPAN_SECOND, 24 * 3600);
  }
}

static KacWireProblem *
decode_problem (SoupMessage *message,
                GBytes      *body)
{
  const char *content_type;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return NULL;

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL);
  if (g_strcmp0 (content_type, "application/problem+json") != 0 &&
      g_strcmp0 (content_type, "application/json") != 0)
    return NULL;

  return kac_wire_decode_problem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL);
}

/* "503 Service Unavailable", or only the number where libsoup knows no phrase (429). */
static char *
describe_status (guint status)
{
  const char *phrase = soup_status_get_phrase (status);

  if (phrase == NULL || g_str_equal (phrase, "Unknown Error"))
    return g_strdup_printf ("%u", status);

  return g_strdup_printf ("%u %s", status, phrase);
}

/* The clerk's sentence for an answer that is not 2xx. */
static GError *
error_from_status (Request     *request,
                   SoupMessage *message,
                   GBytes      *body)
{
  g_autoptr(KacWireProblem) problem = decode_problem (message, body);
  guint status = soup_message_get_status (message);
  const char *code = problem != NULL ? problem->code : NULL;
  const char *title = problem != NULL && problem->title != NULL && *problem->title != '\0' ? problem->title : NULL;
  g_autofree char *message_text = NULL;

  if (status == 401)
    {
      if (request->kind == REQUEST_SIGN_IN)
        message_text = g_strdup (title != NULL ? title : _("The user name or the password is wrong."));
      else
        message_text = g_strdup (_("Your sign-in to the central system has expired or was revoked. Sign in again; the registrations wait and nothing is lost."));
      return http_error_new (KAC_HTTP_ERROR_AUTH, status, code, 0, message_text);
    }

  if (status == 408 || status == 429 || status >= 500)
    {
      g_autofree char *described = describe_status (status);

      message_text = g_strdup_printf (_("The central system could not take the request just now (%s). The registrations wait and will be sent again."),
                                      described);
      return http_error_new (KAC_HTTP_ERROR_SERVER, status, code, parse_retry_after (message), message_text);
    }

  if (status == 410)
    return http_error_new (KAC_HTTP_ERROR_GONE, status, code, 0,
                           _("The central system no longer has the changes asked for; everything is fetched again."));

  if (status >= 400)
    {
      if (title != NULL && problem->detail != NULL && *problem->detail != '\0')
        message_text = g_strdup_printf ("%s %s", title, problem->detail);
      else if (title != NULL)
        message_text = g_strdup (title);
      else if (status == 404 || status == 405)
        message_text = g_strdup (_("The server address does not lead to a KAC central system. Check the address in the sign-in dialog."));
      else
        {
          g_autofree char *described = describe_status (status);

          message_text = g_strdup_printf (_("The central system refused the request (%s)."), described);
        }
      return http_error_new (KAC_HTTP_ERROR_REJECTED, status, code, 0, message_text);
    }

  /* 1xx and 3xx that libsoup did not follow: the server is not speaking our API right now. */
  message_text = g_strdup_printf (_("The central system gave an unexpected answer (%u). The registrations wait and will be sent again."),
                                  status);
  return http_error_new (KAC_HTTP_ERROR_SERVER, status, code, 0, message_text);
}

/* The class of a failure before any HTTP status came back. */
static GError *
error_from_transport (Request *request,
                      GError  *error)
{
  g_autofree char *text = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && request->timed_out)
    return http_error_new (KAC_HTTP_ERROR_TIMEOUT, 0, NULL, 0,
                           _("The central system did not answer in time. The registrations wait and will be sent again."));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return http_error_new (KAC_HTTP_ERROR_TIMEOUT, 0, NULL, 0,
                           _("The central system did not answer in time. The registrations wait and will be sent again."));

  if (error->domain == G_TLS_ERROR)
    {
      if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) ||
          g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_CERTIFICATE_REQUIRED) ||
          g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_HANDSHAKE))
        return http_error_new (KAC_HTTP_ERROR_TLS, 0, NULL, 0,
                               _("The central system’s certificate is not trusted, so KAC Desk did not send anything. Ask your administrator to check the server address and the CA file."));

      /* A TLS record error mid-stream is a broken connection, not a trust question. */
      text = g_strdup_printf (_("The connection to the central system broke (%s). The registrations wait and will be sent again."),
                              error->message);
      return http_error_new (KAC_HTTP_ERROR_NETWORK, 0, NULL, 0, text);
    }

  if (error->domain == SOUP_SESSION_ERROR &&
      (error->code == SOUP_SESSION_ERROR_PARSING || error->code == SOUP_SESSION_ERROR_ENCODING))
    {
      text = g_strdup_printf (_("The central system sent an answer KAC Desk cannot read (%s). The registrations wait and will be sent again."),
                              error->message);
      return http_error_new (KAC_HTTP_ERROR_SERVER, 0, NULL, 0, text);
    }

  text = g_strdup_printf (_("The central system cannot be reached (%s). The registrations wait and are sent when the connection is back."),
                          error->message);
  return http_error_new (KAC_HTTP_ERROR_NETWORK, 0, NULL, 0, text);
}

static GError *
unreadable_answer (const GError *reason)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf (_("The central system sent an answer KAC Desk cannot read (%s). The registrations wait and will be sent again."),
                          reason->message);

  return http_error_new (KAC_HTTP_ERROR_SERVER, 200, NULL, 0, text);
}

/* Requests */

static gboolean
deadline_cb (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  g_clear_pointer (&request->deadline, g_source_unref);

  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *outer,
                    Request      *request)
{
  g_cancellable_cancel (request->cancellable);
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) decode_error = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *data;
  gsize size;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  /* What came over the wire (headers and body, before TLS), for "an unchanged pull transfers
   * next to nothing". */
  {
    SoupMessageMetrics *metrics = soup_message_get_metrics (request->message);
    KacHttpClient *self = g_task_get_source_object (task);

    if (metrics != NULL)
      self->bytes_received += soup_message_metrics_get_response_header_bytes_received (metrics)
                              + soup_message_metrics_get_response_body_bytes_received (metrics);
  }

  if (body == NULL)
    {
      g_task_return_error (task, error_from_transport (request, error));
      return;
    }

  status = soup_message_get_status (request->message);
  if (status < 200 || status >= 300)
    {
      g_task_return_error (task, error_from_status (request, request->message, body));
      return;
    }

  data = g_bytes_get_data (body, &size);
  if (data == NULL)
    data = "";

  switch (request->kind)
    {
    case REQUEST_RECORDS:
      {
        g_autoptr(GPtrArray) results = kac_wire_decode_batch_response (data, size, &decode_error);

        if (results == NULL)
          g_task_return_error (task, unreadable_answer (decode_error));
        else if (results->len != request->n_records)
          {
            g_autoptr(GError) count_error = g_error_new (KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                                                         "%u results for %u records",
                                                         results->len, request->n_records);
            g_task_return_error (task, unreadable_answer (count_error));
          }
        else
          g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
      }
      break;

    case REQUEST_CHANGES:
      {
        KacWireChangesPage *page = kac_wire_decode_changes_page (data, size, &decode_error);

        if (page == NULL)
          g_task_return_error (task, unreadable_answer (decode_error));
        else
          g_task_return_pointer (task, page, (GDestroyNotify) kac_wire_changes_page_free);
      }
      break;

    case REQUEST_SIGN_IN:
      {
        KacWireSession *session = kac_wire_decode_session (data, size, &decode_error);

        if (session == NULL)
          g_task_return_error (task, unreadable_answer (decode_error));
        else
          g_task_return_pointer (task, session, (GDestroyNotify) kac_wire_session_free);
      }
      break;

    case REQUEST_MATERIALS:
    case REQUEST_NOTICES:
      {
        KacWireFeedPage *page;

        if (request->kind == REQUEST_MATERIALS)
          page = kac_wire_decode_materials_page (data, size, &decode_error);
        else
          page = kac_wire_decode_notices_page (data, size, &decode_error);

        if (page == NULL)
          g_task_return_error (task, unreadable_answer (decode_error));
        else
          g_task_return_pointer (task, page, (GDestroyNotify) kac_wire_feed_page_free);
      }
      break;

    case REQUEST_STATS:
      {
        KacWireStats *stats = kac_wire_decode_stats (data, size, &decode_error);

        if (stats == NULL)
          g_task_return_error (task, unreadable_answer (decode_error));
        else
          g_task_return_pointer (task, stats, (GDestroyNotify) kac_wire_stats_free);
      }
      break;

    case REQUEST_ATTACHMENT:
      {
        g_autofree char *sha256 = kac_wire_sha256_of_bytes (body);

        /* A damaged or wrong file is never handed on: the store would refuse it anyway, and
         * the next round fetches it again. */
        if (!g_str_equal (sha256, request->sha256))
          {
            g_autoptr(GError) hash_error = g_error_new (KAC_WIRE_ERROR, KAC_WIRE_ERROR_VALUE,
                                                        "the attachment’s content does not match its hash %s",
                                                        request->sha256);
            g_task_return_error (task, unreadable_answer (hash_error));
          }
        else
          g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Builds and sends @method @path (relative to the server URI) with an optional JSON @body. */
static void
start_request (KacHttpClient  *self,
               GTask          *task,
               RequestKind     kind,
               const char     *method,
               const char     *path,
               GBytes         *body,
               gboolean        with_token,
               guint           n_records)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *outer = g_task_get_cancellable (task);
  SoupMessageHeaders *headers;
  Request *request;

  uri = g_uri_parse_relative (self->base, path, G_URI_FLAGS_ENCODED, &error);
  if (uri == NULL)
    {
      g_task_return_new_error (task, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG,
                               _("The server address “%s” is not valid (%s)."),
                               self->server_uri, error->message);
      g_object_unref (task);
      return;
    }

  request = g_new0 (Request, 1);
  request->kind = kind;
  request->n_records = n_records;
  request->message = soup_message_new_from_uri (method, uri);
  request->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  soup_message_add_flags (request->message, SOUP_MESSAGE_COLLECT_METRICS);

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept",
                                kind == REQUEST_ATTACHMENT ? "*/*"
                                                           : "application/json, application/problem+json");
  if (with_token && self->token != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (request->message, "application/json", body);

  if (outer != NULL)
    {
      request->outer = g_object_ref (outer);
      request->outer_id = g_cancellable_connect (outer, G_CALLBACK (outer_cancelled_cb), request, NULL);
    }

  request->deadline = g_timeout_source_new_seconds (self->request_timeout);
  g_source_set_callback (request->deadline, deadline_cb, request, NULL);
  g_source_set_static_name (request->deadline, "[kac] request deadline");
  g_source_attach (request->deadline, g_main_context_get_thread_default ());

  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    request->cancellable, send_cb, task);
}

/* GObject */

static void
kac_http_client_dispose (GObject *object)
{
  KacHttpClient *self = (KacHttpClient *)object;

  /* Pending callbacks run inside soup_session_abort(); they hold their own task and never
   * touch the client after it, so aborting here is safe. */
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (kac_http_client_parent_class)->dispose (object);
}

static void
kac_http_client_finalize (GObject *object)
{
  KacHttpClient *self = (KacHttpClient *)object;

  g_clear_pointer (&self->server_uri, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->base, g_uri_unref);

  G_OBJECT_CLASS (kac_http_client_parent_class)->finalize (object);
}

static void
kac_http_client_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KacHttpClient *self = KAC_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SERVER_URI:
      g_value_set_string (value, self->server_uri);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_http_client_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  KacHttpClient *self = KAC_HTTP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_TOKEN:
      kac_http_client_set_token (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_http_client_class_init (KacHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = kac_http_client_dispose;
  object_class->finalize = kac_http_client_finalize;
  object_class->get_property = kac_http_client_get_property;
  object_class->set_property = kac_http_client_set_property;

  /* Set through kac_http_client_new(), which can fail; read-only as properties. */
  properties[PROP_SERVER_URI] =
    g_param_spec_string ("server-uri", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
kac_http_client_init (KacHttpClient *self)
{
  self->request_timeout = KAC_HTTP_DEFAULT_REQUEST_TIMEOUT_SECONDS;
}

/* Public API */

/**
 * kac_http_client_new:
 *
 * Returns: (transfer full): a client, or %NULL with KAC_HTTP_ERROR_CONFIG set.
 */
KacHttpClient *
kac_http_client_new (const char  *server_uri,
                     const char  *ca_file,
                     GError     **error)
{
  g_autoptr(KacHttpClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autofree char *folder = NULL;
  const char *scheme;
  const char *path;

  g_return_val_if_fail (server_uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  uri = g_uri_parse (server_uri, G_URI_FLAGS_ENCODED, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG,
                   _("The server address “%s” is not valid (%s). Write it as https://server.example.lv/."),
                   server_uri, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (g_uri_get_host (uri))))
    {
      g_set_error (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG,
                   _("The server address “%s” must start with https:// (plain http is allowed only on this computer)."),
                   server_uri);
      return NULL;
    }

  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG,
                   _("The server address “%s” names no server. Write it as https://server.example.lv/."),
                   server_uri);
      return NULL;
    }

  self = g_object_new (KAC_TYPE_HTTP_CLIENT, NULL);
  self->server_uri = g_strdup (server_uri);

  /* The paths of the API are resolved against the server URI as a folder. */
  path = g_uri_get_path (uri);
  folder = g_str_has_suffix (path, "/") ? g_strdup (path) : g_strconcat (path, "/", NULL);
  self->base = g_uri_build (G_URI_FLAGS_ENCODED, scheme, NULL, g_uri_get_host (uri),
                            g_uri_get_port (uri), folder, NULL, NULL);
  g_assert (self->base != NULL);

  if (ca_file != NULL && *ca_file != '\0')
    {
      g_autolist(GTlsCertificate) certificates = NULL;

      /* libsoup 3.2 with a relative path: no error here, and every handshake fails later. */
      self->ca_file = g_canonicalize_filename (ca_file, NULL);

      certificates = g_tls_certificate_list_new_from_file (self->ca_file, &local_error);
      if (certificates == NULL)
        {
          g_set_error (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG,
                       _("The CA file “%s” cannot be used (%s). Choose a PEM file with the certificate of the central system’s CA."),
                       self->ca_file, local_error != NULL ? local_error->message : _("it holds no certificate"));
          return NULL;
        }

      database = g_tls_file_database_new (self->ca_file, &local_error);
      if (database == NULL)
        {
          g_set_error (error, KAC_HTTP_ERROR, KAC_HTTP_ERROR_CONFIG,
                       _("The CA file “%s” cannot be used (%s). Choose a PEM file with the certificate of the central system’s CA."),
                       self->ca_file, local_error->message);
          return NULL;
        }
    }

  /* "timeout" is libsoup's I/O timeout and defaults to 0, which waits for ever. */
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "timeout", KAC_HTTP_DEFAULT_IO_TIMEOUT_SECONDS,
                                "idle-timeout", 60,
                                "user-agent", "KAC-Desk/" PACKAGE_VERSION " ",
                                NULL);
  if (database != NULL)
    soup_session_set_tls_database (self->session, database);

  return g_steal_pointer (&self);
}

const char *
kac_http_client_get_server_uri (KacHttpClient *self)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);

  return self->server_uri;
}

const char *
kac_http_client_get_ca_file (KacHttpClient *self)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);

  return self->ca_file;
}

const char *
kac_http_client_get_token (KacHttpClient *self)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);

  return self->token;
}

void
kac_http_client_set_token (KacHttpClient *self,
                           const char    *token)
{
  g_return_if_fail (KAC_IS_HTTP_CLIENT (self));

  if (token != NULL && *token == '\0')
    token = NULL;

  if (g_strcmp0 (self->token, token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

void
kac_http_client_set_timeouts (KacHttpClient *self,
                              guint          io_timeout_seconds,
                              guint          request_timeout_seconds)
{
  g_return_if_fail (KAC_IS_HTTP_CLIENT (self));
  g_return_if_fail (io_timeout_seconds > 0);
  g_return_if_fail (request_timeout_seconds > 0);

  soup_session_set_timeout (self->session, io_timeout_seconds);
  self->request_timeout = request_timeout_seconds;
}

void
kac_http_client_send_records_async (KacHttpClient       *self,
                                    GBytes              *batch,
                                    guint                n_records,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (KAC_IS_HTTP_CLIENT (self));
  g_return_if_fail (batch != NULL);
  g_return_if_fail (n_records > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kac_http_client_send_records_async);
  start_request (self, task, REQUEST_RECORDS, SOUP_METHOD_POST, "api/v1/records", batch, TRUE, n_records);
}

/**
 * kac_http_client_send_records_finish:
 *
 * Returns: (transfer full) (element-type KacWireItemResult): the results, or %NULL with @error.
 */
GPtrArray *
kac_http_client_send_records_finish (KacHttpClient  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_http_client_send_records_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kac_http_client_get_changes_async (KacHttpClient       *self,
                                   const char          *cursor,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  GTask *task;

  g_return_if_fail (KAC_IS_HTTP_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  escaped = g_uri_escape_string (cursor != NULL ? cursor : "", NULL, FALSE);
  path = g_strconcat ("api/v1/records/changes?since=", escaped, NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kac_http_client_get_changes_async);
  start_request (self, task, REQUEST_CHANGES, SOUP_METHOD_GET, path, NULL, TRUE, 0);
}

/**
 * kac_http_client_get_changes_finish:
 *
 * Returns: (transfer full): the page, or %NULL with @error.
 */
KacWireChangesPage *
kac_http_client_get_changes_finish (KacHttpClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_http_client_get_changes_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
format_date (const GDate *date,
             char         text[11])
{
  g_snprintf (text, 11, "%04u-%02u-%02u", g_date_get_year (date), g_date_get_month (date),
              g_date_get_day (date));
}

void
kac_http_client_get_stats_async (KacHttpClient       *self,
                                 const char          *centre_id,
                                 const GDate         *from,
                                 const GDate         *to,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;
  char from_text[11], to_text[11];
  GTask *task;

  g_return_if_fail (KAC_IS_HTTP_CLIENT (self));
  g_return_if_fail (centre_id != NULL);
  g_return_if_fail (from != NULL && g_date_valid (from));
  g_return_if_fail (to != NULL && g_date_valid (to));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  format_date (from, from_text);
  format_date (to, to_text);
  escaped = g_uri_escape_string (centre_id, NULL, FALSE);
  path = g_strdup_printf ("api/v1/stats?centre=%s&from=%s&to=%s", escaped, from_text, to_text);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kac_http_client_get_stats_async);
  start_request (self, task, REQUEST_STATS, SOUP_METHOD_GET, path, NULL, TRUE, 0);
}

/**
 * kac_http_client_get_stats_finish:
 *
 * Returns: (transfer full): the centre's figures, or %NULL with @error.
 */
KacWireStats *
kac_http_client_get_stats_finish (KacHttpClient  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_http_client_get_stats_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kac_http_client_sign_in_async (KacHttpClient       *self,
                               const char          *username,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;
  GTask *task;

  g_return_if_fail (KAC_IS_HTTP_CLIENT (self));
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  body = kac_wire_encode_sign_in (username, password);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kac_http_client_sign_in_async);
  start_request (self, task, REQUEST_SIGN_IN, SOUP_METHOD_POST, "api/v1/session", body, FALSE, 0);
}

/**
 * kac_http_client_sign_in_finish:
 *
 * Returns: (transfer full): the session, or %NULL with @error.
 */
KacWireSession *
kac_http_client_sign_in_finish (KacHttpClient  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_http_client_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
session_sign_in_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  KacWireSession *session;

  session = kac_http_client_sign_in_finish (KAC_HTTP_CLIENT (source), result, &error);
  if (session == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, session, (GDestroyNotify) kac_wire_session_free);
}

void
kac_session_sign_in_async (const char          *server_uri,
                           const char          *ca_file,
                           const char          *username,
                           const char          *password,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(KacHttpClient) client = NULL;
  GError *error = NULL;

  g_return_if_fail (server_uri != NULL);
  g_return_if_fail (username != NULL);
  g_return_if_fail (password != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, kac_session_sign_in_async);

  client = kac_http_client_new (server_uri, ca_file, &error);
  if (client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The task keeps the client (and its session) alive until the answer. */
  g_task_set_task_data (task, g_object_ref (client), g_object_unref);
  kac_http_client_sign_in_async (client, username, password, cancellable,
                                 session_sign_in_cb, g_steal_pointer (&task));
}

/**
 * kac_session_sign_in_finish:
 *
 * Returns: (transfer full): the session, or %NULL with @error.
 */
KacWireSession *
kac_session_sign_in_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_session_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Feeds */

static void
get_feed_async (KacHttpClient       *self,
                RequestKind          kind,
                const char          *feed,
                const char          *cursor,
                gpointer             source_tag,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autofree char *escaped = g_uri_escape_string (cursor != NULL ? cursor : "", NULL, FALSE);
  g_autofree char *path = g_strconcat ("api/v1/", feed, "?since=", escaped, NULL);
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  start_request (self, task, kind, SOUP_METHOD_GET, path, NULL, TRUE, 0);
}

void
kac_http_client_get_materials_async (KacHttpClient       *self,
                                     const char          *cursor,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (KAC_IS_HTTP_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  get_feed_async (self, REQUEST_MATERIALS, "materials", cursor, kac_http_client_get_materials_async,
                  cancellable, callback, user_data);
}

/**
 * kac_http_client_get_materials_finish:
 *
 * Returns: (transfer full): the page, or %NULL with @error.
 */
KacWireFeedPage *
kac_http_client_get_materials_finish (KacHttpClient  *self,
                                      GAsyncResult   *result,
                                      GError        **error)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_http_client_get_materials_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kac_http_client_get_notices_async (KacHttpClient       *self,
                                   const char          *cursor,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (KAC_IS_HTTP_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  get_feed_async (self, REQUEST_NOTICES, "notices", cursor, kac_http_client_get_notices_async,
                  cancellable, callback, user_data);
}

/**
 * kac_http_client_get_notices_finish:
 *
 * Returns: (transfer full): the page, or %NULL with @error.
 */
KacWireFeedPage *
kac_http_client_get_notices_finish (KacHttpClient  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_http_client_get_notices_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
kac_http_client_get_attachment_async (KacHttpClient       *self,
                                      const char          *sha256,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autofree char *path = NULL;
  GTask *task;
  Request *request;

  g_return_if_fail (KAC_IS_HTTP_CLIENT (self));
  g_return_if_fail (kac_wire_sha256_is_valid (sha256));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  path = g_strconcat ("api/v1/attachments/", sha256, NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, kac_http_client_get_attachment_async);
  /* start_request() may finish the task at once (a bad path): keep it alive to set the hash. */
  g_object_ref (task);
  start_request (self, task, REQUEST_ATTACHMENT, SOUP_METHOD_GET, path, NULL, TRUE, 0);
  request = g_task_get_task_data (task);
  if (request != NULL)
    request->sha256 = g_strdup (sha256);
  g_object_unref (task);
}

/**
 * kac_http_client_get_attachment_finish:
 *
 * Returns: (transfer full): the verified bytes, or %NULL with @error.
 */
GBytes *
kac_http_client_get_attachment_finish (KacHttpClient  *self,
                                       GAsyncResult   *result,
                                       GError        **error)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == kac_http_client_get_attachment_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint64
kac_http_client_get_bytes_received (KacHttpClient *self)
{
  g_return_val_if_fail (KAC_IS_HTTP_CLIENT (self), 0);

  return self->bytes_received;
}
