/* fuzz-central-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * kac-central's request handling on arbitrary requests: the real server (routing, early
 * body-size checks, authentication, every handler, its SQLite store) runs once in this process
 * on 127.0.0.1 in a thread of its own, and each input becomes one HTTP/1.1 request sent to it
 * over a loopback socket. libsoup 3.2 cannot make a SoupServerMessage without a connection,
 * so this is the way to reach the handlers without changing the server for the fuzzer.
 *
 * Input: the first byte picks the credentials (its value modulo 8: 0 none, 1 clerk of riga-1,
 * 2 manager of riga-1, 3 institution user of VSAA, 4 admin, 5 clerk of cesis, 6 an expired
 * token, 7 whatever Authorization header the input carries). The rest is text:
 *
 *   METHOD TARGET\n
 *   Header: value\n …
 *   \n
 *   body
 *
 * The harness keeps the request well framed (it escapes what cannot stand in a request line,
 * drops header lines that are not headers, and sets Host, Connection: close and
 * Content-Length itself) so that the fuzzer spends its time in the server, not in HTTP framing.
 *
 * Invariants checked on every answer:
 * - there is an answer (no hang, no dropped connection) with a status from 100 to 599;
 * - no 5xx problem from kac-central (nothing here makes its store fail: a 5xx is a bug);
 * - every 4xx/5xx with a body is application/problem+json that decodes, with the same status;
 * - without a valid token, nothing but /healthz, /metrics, the OpenAPI document and a real
 *   sign-in answers 2xx;
 * - 200 answers decode as the document of their route (batch answer with one result per
 *   request item in order, page of changes, session, catalogue), and only the roles allowed
 *   there get them.
 */
#define G_LOG_DOMAIN "fuzz-central-request"

#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "fuzz-common.h"
#include "kac-central-auth.h"
#include "kac-central-server.h"
#include "kac-central-store.h"
#include "kac-wire.h"

#define RECORD_UUID      "6f1c1b8e-3a55-4f7c-9d0e-1f2a3b4c5d6e"
#define OTHER_UUID       "0a2b4c6d-8e0f-4a1b-9c3d-5e7f90a1b2c3"
#define ANSWER_TIMEOUT_S 10
#define MAX_TARGET       2048
#define MAX_HEADERS      32

typedef enum
{
  AUTH_NONE,
  AUTH_CLERK,
  AUTH_MANAGER,
  AUTH_INSTITUTION,
  AUTH_ADMIN,
  AUTH_OTHER_CLERK,
  AUTH_EXPIRED,
  AUTH_RAW,
  N_AUTH
} Auth;

static const char * const auth_users[N_AUTH] = {
  NULL, "anna", "maris", "vsaa", "admin", "peteris", "anna", NULL,
};

static struct
{
  char            *dir;
  GMainContext    *context;
  KacCentralStore *store;
  KacCentralServer *server;
  guint            port;
  char            *tokens[N_AUTH];

  GMutex           mutex;
  GCond            cond;
  gboolean         ready;
} central;

/* Set-up, in the server's thread */

static void
must (gboolean  ok,
      GError   *error)
{
  if (!ok)
    g_error ("Setting up the fuzzed server failed: %s", error != NULL ? error->message : "?");
}

static void
add_user (const char     *username,
          KacCentralRole  role,
          const char     *centre,
          const char     *institution)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = kac_central_hash_password ("password", &error);

  must (hash != NULL, error);
  must (kac_central_store_add_user (central.store, username, NULL, hash, role, centre,
                                    institution, &error), error);
}

/* A fresh token for @auth's user; expired ones lie an hour in the past. */
static void
issue_token (Auth auth)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralUser) user = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add (now, auth == AUTH_EXPIRED ? -G_TIME_SPAN_HOUR
                                                                             : 365 * G_TIME_SPAN_DAY);
  guint8 hash[KAC_CENTRAL_TOKEN_HASH_SIZE];

  user = kac_central_store_lookup_user (central.store, auth_users[auth], &error);
  must (user != NULL, error);

  g_free (central.tokens[auth]);
  central.tokens[auth] = kac_central_new_token ();
  kac_central_hash_token (central.tokens[auth], hash);
  must (kac_central_store_add_token (central.store, hash, user->id, expires, &error), error);
}

static void
insert_record (const char *uuid,
               const char *service_code,
               const char *institution_code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralUser) clerk = kac_central_store_lookup_user (central.store, "anna", &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(KacRecord) record = NULL;
  g_autofree char *body = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *number = NULL;

  must (clerk != NULL, error);
  record = g_object_new (KAC_TYPE_RECORD,
                         "uuid", uuid,
                         "kind", KAC_RECORD_KIND_APPLICATION,
                         "service-code", service_code,
                         "institution-code", institution_code,
                         "channel", KAC_CHANNEL_IN_PERSON,
                         "client-name", "Jānis Bērziņš",
                         "client-code", "161175-19997",
                         "clerk", "anna",
                         "centre-id", "riga-1",
                         NULL);
  body = kac_wire_encode_record (record);
  hash = kac_wire_record_hash (record);

  must (kac_central_store_begin (central.store, &error), error);
  number = kac_central_store_insert_record (central.store, record, body, hash, institution_code,
                                            clerk, now, &error);
  must (number != NULL, error);
  must (kac_central_store_commit (central.store, &error), error);
}

static void
set_up_server (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *db_path = NULL;
  g_autoptr(GUri) uri = NULL;

  /* Argon2id at its minimum cost: a fuzzed sign-in must not take a quarter of a second. */
  g_setenv ("KAC_CENTRAL_PWHASH_COST", "min", TRUE);
  must (kac_central_auth_init (&error), error);

  /* The store commits with synchronous=FULL: in memory-backed /dev/shm when there is one. */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && g_access ("/dev/shm", W_OK) == 0)
    central.dir = g_mkdtemp (g_strdup ("/dev/shm/kac-fuzz-central-XXXXXX"));
  else
    central.dir = g_dir_make_tmp ("kac-fuzz-central-XXXXXX", &error);
  must (central.dir != NULL, error);

  db_path = g_build_filename (central.dir, "central.db", NULL);
  central.store = kac_central_store_open (db_path, &error);
  must (central.store != NULL, error);

  must (kac_central_store_add_centre (central.store, "riga-1", "Rīgas VPVKAC",
                                      KAC_CENTRE_KIND_NATIONAL, &error), error);
  must (kac_central_store_add_centre (central.store, "cesis", "Cēsu VPVKAC",
                                      KAC_CENTRE_KIND_REGIONAL, &error), error);
  add_user ("anna", KAC_CENTRAL_ROLE_CLERK, "riga-1", NULL);
  add_user ("maris", KAC_CENTRAL_ROLE_MANAGER, "riga-1", NULL);
  add_user ("vsaa", KAC_CENTRAL_ROLE_INSTITUTION, NULL, "VSAA");
  add_user ("admin", KAC_CENTRAL_ROLE_ADMIN, NULL, NULL);
  add_user ("peteris", KAC_CENTRAL_ROLE_CLERK, "cesis", NULL);
  for (Auth auth = 0; auth < N_AUTH; auth++)
    if (auth_users[auth] != NULL)
      issue_token (auth);

  /* Records to move by status: one of VSAA (the institution user's own), one of another. */
  insert_record (RECORD_UUID, "VSAA-01", "VSAA");
  insert_record (OTHER_UUID, NULL, "VID");

  central.server = kac_central_server_new (central.store, NULL, &error);
  must (central.server != NULL, error);
  must (kac_central_server_listen (central.server, NULL, "127.0.0.1", 0, &error), error);
  uri = kac_central_server_get_uri (central.server);
  central.port = (guint) g_uri_get_port (uri);
}

static gpointer
server_thread (gpointer data)
{
  g_autoptr(GMainLoop) loop = NULL;

  /* The server attaches to the thread-default context when it listens. */
  g_main_context_push_thread_default (central.context);
  set_up_server ();
  loop = g_main_loop_new (central.context, FALSE);

  g_mutex_lock (&central.mutex);
  central.ready = TRUE;
  g_cond_signal (&central.cond);
  g_mutex_unlock (&central.mutex);

  g_main_loop_run (loop);
  return NULL;
}

static void
remove_dir (void)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (central.dir == NULL || !(dir = g_dir_open (central.dir, 0, NULL)))
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (central.dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (central.dir);
}

typedef struct
{
  Auth     auth;
  gboolean done;
} Reissue;

static gboolean
reissue_cb (gpointer data)
{
  Reissue *reissue = data;

  issue_token (reissue->auth);
  g_mutex_lock (&central.mutex);
  reissue->done = TRUE;
  g_cond_broadcast (&central.cond);
  g_mutex_unlock (&central.mutex);
  return G_SOURCE_REMOVE;
}

/* A sign-out revoked @auth's token: give its user a new one, in the server's thread. */
static void
reissue_token (Auth auth)
{
  Reissue reissue = { auth, FALSE };

  g_main_context_invoke (central.context, reissue_cb, &reissue);
  g_mutex_lock (&central.mutex);
  while (!reissue.done)
    g_cond_wait (&central.cond, &central.mutex);
  g_mutex_unlock (&central.mutex);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  kac_fuzz_init ();
  signal (SIGPIPE, SIG_IGN);

  g_mutex_init (&central.mutex);
  g_cond_init (&central.cond);
  central.context = g_main_context_new ();
  g_thread_unref (g_thread_new ("kac-central", server_thread, NULL));

  g_mutex_lock (&central.mutex);
  while (!central.ready)
    g_cond_wait (&central.cond, &central.mutex);
  g_mutex_unlock (&central.mutex);

  atexit (remove_dir);
  return 0;
}

/* Building the request */

static gboolean
is_tchar (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

static void
append_target (GString    *out,
               const char *target,
               gsize       length)
{
  if (length == 0 || target[0] != '/')
    g_string_append_c (out, '/');

  for (gsize i = 0; i < length && out->len < MAX_TARGET; i++)
    {
      guchar c = (guchar) target[i];

      if (c <= 0x20 || c >= 0x7f || strchr ("\"<>\\^`{|}#", c) != NULL)
        g_string_append_printf (out, "%%%02X", c);
      else
        g_string_append_c (out, (char) c);
    }
}

/* "Name: value" with a token name and a value without control characters; the harness owns
 * the framing headers and, unless the input asked for it, Authorization. */
static gboolean
append_header (GString    *out,
               const char *line,
               gboolean    raw_authorization)
{
  static const char * const owned[] = {
    "host", "content-length", "transfer-encoding", "connection", "expect", "upgrade", "te",
    "trailer", "keep-alive",
  };
  const char *colon = strchr (line, ':');
  g_autofree char *name = NULL;
  const char *value;

  if (colon == NULL || colon == line)
    return FALSE;
  for (const char *p = line; p < colon; p++)
    if (!is_tchar (*p))
      return FALSE;

  name = g_ascii_strdown (line, colon - line);
  for (guint i = 0; i < G_N_ELEMENTS (owned); i++)
    if (g_str_equal (name, owned[i]))
      return FALSE;
  if (g_str_equal (name, "authorization") && !raw_authorization)
    return FALSE;

  value = colon + 1;
  for (const char *p = value; *p != '\0'; p++)
    if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
      return FALSE;

  g_string_append_len (out, line, colon - line);
  g_string_append (out, ":");
  g_string_append (out, value);
  g_string_append (out, "\r\n");
  return TRUE;
}

typedef struct
{
  Auth     auth;
  char    *method;
  char    *path;        /* the target up to its query, as sent */
  GString *head;
  GBytes  *body;
} Request;

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_string_free (request->head, TRUE);
  g_bytes_unref (request->body);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static Request *
build_request (const uint8_t *data,
               size_t         size)
{
  Request *request = g_new0 (Request, 1);
  const char *text = (const char *) data + 1;
  gsize text_length = size - 1;
  const char *head_end = g_strstr_len (text, text_length, "\n\n");
  gsize head_length = head_end != NULL ? (gsize) (head_end - text) : text_length;
  g_autofree char *head = g_strndup (text, head_length);  /* cut at a NUL: fine for a head */
  g_auto(GStrv) lines = g_strsplit (head, "\n", MAX_HEADERS + 1);
  g_autoptr(GString) method = g_string_new (NULL);
  g_autoptr(GString) target = g_string_new (NULL);
  const char *space;
  const char *first = lines[0] != NULL ? lines[0] : "";
  gsize body_length;

  request->auth = data[0] % N_AUTH;
  request->head = g_string_new (NULL);

  /* Request line */
  space = strchr (first, ' ');
  for (const char *p = first; *p != '\0' && p != space && method->len < 16; p++)
    if (is_tchar (*p))
      g_string_append_c (method, *p);
  if (method->len == 0)
    g_string_append (method, "GET");
  request->method = g_strdup (method->str);

  if (space != NULL)
    {
      g_autofree char *raw = g_strdup (space + 1);

      g_strchomp (raw);
      append_target (target, raw, strlen (raw));
    }
  else
    g_string_append_c (target, '/');
  request->path = g_strndup (target->str, strcspn (target->str, "?"));

  g_string_append_printf (request->head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nConnection: close\r\n",
                          method->str, target->str, central.port);

  if (auth_users[request->auth] != NULL)
    g_string_append_printf (request->head, "Authorization: Bearer %s\r\n",
                            central.tokens[request->auth]);

  for (guint i = 1; lines[0] != NULL && lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      append_header (request->head, lines[i], request->auth == AUTH_RAW);
    }

  if (head_end != NULL)
    {
      body_length = text_length - head_length - 2;
      request->body = g_bytes_new (head_end + 2, body_length);
    }
  else
    {
      body_length = 0;
      request->body = g_bytes_new (NULL, 0);
    }

  if (body_length > 0 || g_str_equal (method->str, "POST") || g_str_equal (method->str, "PUT"))
    g_string_append_printf (request->head, "Content-Length: %" G_GSIZE_FORMAT "\r\n", body_length);
  g_string_append (request->head, "\r\n");

  return request;
}

/* Sending it and reading the answer. libFuzzer's timers interrupt system calls (EINTR). */

static gboolean
connect_to_server (int                       fd,
                   const struct sockaddr_in *address)
{
  struct pollfd poll_fd = { fd, POLLOUT, 0 };
  int error = 0;
  socklen_t length = sizeof error;

  if (connect (fd, (const struct sockaddr *) address, sizeof *address) == 0)
    return TRUE;
  if (errno != EINTR)
    return FALSE;

  /* The connection goes on in the background: wait for it. */
  while (poll (&poll_fd, 1, ANSWER_TIMEOUT_S * 1000) < 0)
    if (errno != EINTR)
      return FALSE;
  if (getsockopt (fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0)
    return FALSE;
  errno = error;
  return error == 0;
}

static gboolean
send_all (int         fd,
          const char *data,
          gsize       length)
{
  while (length > 0)
    {
      ssize_t n = send (fd, data, length, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      data += n;
      length -= n;
    }

  return TRUE;
}

static GByteArray *
exchange (Request *request)
{
  struct sockaddr_in address = { 0 };
  struct timeval timeout = { ANSWER_TIMEOUT_S, 0 };
  GByteArray *answer = g_byte_array_new ();
  gsize body_length;
  const char *body = g_bytes_get_data (request->body, &body_length);
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  guint8 buffer[16384];

  g_assert (fd >= 0);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  address.sin_family = AF_INET;
  address.sin_port = htons (central.port);
  address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (!connect_to_server (fd, &address))
    g_error ("Cannot connect to the fuzzed server: %s", g_strerror (errno));

  /* The server may answer (413, 401) and close before it reads all of it: not an error. */
  if (send_all (fd, request->head->str, request->head->len) && body_length > 0)
    send_all (fd, body, body_length);

  for (;;)
    {
      ssize_t n = recv (fd, buffer, sizeof buffer, 0);

      if (n > 0)
        g_byte_array_append (answer, buffer, n);
      else if (n == 0 || errno == ECONNRESET)
        break;
      else if (errno == EAGAIN || errno == EWOULDBLOCK)
        {
          fprintf (stderr, "kac-central did not answer within %d s:\n%s\n", ANSWER_TIMEOUT_S,
                   request->head->str);
          abort ();
        }
      else if (errno != EINTR)
        break;
    }

  close (fd);
  return answer;
}

typedef struct
{
  guint       status;
  char       *content_type;  /* without parameters, lower case; NULL when absent */
  const char *body;
  gsize       body_length;
} Answer;

static gboolean
parse_answer (GByteArray *bytes,
              Answer     *answer)
{
  const char *data = (const char *) bytes->data;
  const char *end = g_strstr_len (data, bytes->len, "\r\n\r\n");
  g_autofree char *head = NULL;
  g_auto(GStrv) lines = NULL;

  memset (answer, 0, sizeof *answer);
  if (end == NULL || bytes->len < 12 || strncmp (data, "HTTP/1.1 ", 9) != 0)
    return FALSE;

  head = g_strndup (data, end - data);
  lines = g_strsplit (head, "\r\n", -1);
  answer->status = (guint) g_ascii_strtoull (lines[0] + 9, NULL, 10);
  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], "Content-Type:", 13) == 0)
      {
        g_autofree char *value = g_strstrip (g_strdup (lines[i] + 13));

        value[strcspn (value, ";")] = '\0';
        answer->content_type = g_ascii_strdown (g_strstrip (value), -1);
      }

  answer->body = end + 4;
  answer->body_length = bytes->len - (answer->body - data);
  return TRUE;
}

static void
fail (Request    *request,
      GByteArray *bytes,
      const char *why)
{
  gsize body_length;
  const char *body = g_bytes_get_data (request->body, &body_length);

  fprintf (stderr, "kac-central %s\n--- request (credentials %d)\n%s%.*s\n--- answer\n%.*s\n",
           why, request->auth, request->head->str, (int) MIN (body_length, 2048), body,
           (int) MIN (bytes->len, 4096), (const char *) bytes->data);
  abort ();
}

static gboolean
is_authenticated (Auth auth)
{
  return auth != AUTH_NONE && auth != AUTH_EXPIRED && auth != AUTH_RAW;
}

static gboolean
has_centre (Auth auth)
{
  return auth == AUTH_CLERK || auth == AUTH_MANAGER || auth == AUTH_OTHER_CLERK;
}

static gboolean
is_status_path (const char *path)
{
  return g_str_has_prefix (path, "/api/v1/records/") && g_str_has_suffix (path, "/status")
         && strlen (path) > strlen ("/api/v1/records//status");
}

static void
check_public_answer (Request    *request,
                     GByteArray *bytes,
                     Answer     *answer)
{
  g_autoptr(KacWireSession) session = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root;

  /* The OpenAPI document and the metrics carry no personal data. */
  if (g_strcmp0 (answer->content_type, "application/yaml") == 0
      || g_strcmp0 (answer->content_type, "text/plain") == 0)
    return;

  /* A sign-in with a real user name and password. */
  session = kac_wire_decode_session (answer->body, answer->body_length, NULL);
  if (session != NULL)
    return;

  /* /healthz */
  parser = json_parser_new ();
  if (answer->body_length > 0
      && json_parser_load_from_data (parser, answer->body, answer->body_length, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root)
      && g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root),
                                                                "status", NULL), "ok") == 0
      && json_object_has_member (json_node_get_object (root), "records"))
    return;

  fail (request, bytes, "answered 2xx to a request without a valid token");
}

static void
check_records_answer (Request    *request,
                      GByteArray *bytes,
                      Answer     *answer)
{
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;

  if (!has_centre (request->auth))
    fail (request, bytes, "accepted a batch from a user without a centre");

  results = kac_wire_decode_batch_response (answer->body, answer->body_length, &error);
  if (results == NULL)
    fail (request, bytes, "sent a batch answer the desk cannot read");

  items = kac_wire_decode_batch_request (g_bytes_get_data (request->body, NULL),
                                         g_bytes_get_size (request->body), NULL);
  if (items == NULL || items->len != results->len)
    fail (request, bytes, "answered a batch with another number of results than items");

  for (guint i = 0; i < items->len; i++)
    {
      KacWireBatchItem *item = g_ptr_array_index (items, i);
      KacWireItemResult *result = g_ptr_array_index (results, i);

      if (g_strcmp0 (item->uuid, result->uuid) != 0)
        fail (request, bytes, "answered a batch out of order");
      if (item->record == NULL && result->status != KAC_WIRE_ITEM_REJECTED)
        fail (request, bytes, "did not reject an unreadable record");
    }
}

static void
check_answer (Request    *request,
              GByteArray *bytes)
{
  Answer answer;
  gboolean is_problem;

  if (bytes->len == 0)
    fail (request, bytes, "closed the connection without an answer");
  if (!parse_answer (bytes, &answer))
    fail (request, bytes, "sent something that is not an HTTP/1.1 answer");

  is_problem = g_strcmp0 (answer.content_type, "application/problem+json") == 0;

  if (answer.status < 100 || answer.status > 599)
    fail (request, bytes, "answered with an impossible status");

  if (answer.status >= 500 && is_problem)
    fail (request, bytes, "failed (5xx) on a request");

  if (answer.status >= 400 && answer.body_length > 0)
    {
      g_autoptr(KacWireProblem) problem = NULL;
      g_autoptr(GError) error = NULL;

      if (!is_problem)
        fail (request, bytes, "answered an error without application/problem+json");
      problem = kac_wire_decode_problem (answer.body, answer.body_length, &error);
      if (problem == NULL)
        fail (request, bytes, "sent a problem the desk cannot read");
      if (problem->status != answer.status)
        fail (request, bytes, "sent a problem whose status is not the answer's");
    }

  if (answer.status >= 200 && answer.status < 300)
    {
      if (!is_authenticated (request->auth))
        check_public_answer (request, bytes, &answer);

      if (answer.status == 200 && g_str_equal (request->path, "/api/v1/records")
          && g_str_equal (request->method, "POST"))
        check_records_answer (request, bytes, &answer);

      if (answer.status == 200 && g_str_equal (request->path, "/api/v1/records/changes"))
        {
          g_autoptr(KacWireChangesPage) page = NULL;

          if (!has_centre (request->auth))
            fail (request, bytes, "listed changes to a user without a centre");
          page = kac_wire_decode_changes_page (answer.body, answer.body_length, NULL);
          if (page == NULL)
            fail (request, bytes, "sent a page of changes the desk cannot read");
        }

      if (answer.status == 200 && g_str_equal (request->path, "/api/v1/catalog"))
        {
          g_autoptr(GBytes) catalog_bytes = g_bytes_new (answer.body, answer.body_length);
          g_autoptr(KacCatalog) catalog = kac_wire_decode_catalog (catalog_bytes, NULL);

          if (catalog == NULL)
            fail (request, bytes, "sent a catalogue the desk cannot read");
        }

      if (answer.status == 200 && g_str_equal (request->path, "/api/v1/session")
          && g_str_equal (request->method, "POST"))
        {
          g_autoptr(KacWireSession) session = kac_wire_decode_session (answer.body,
                                                                       answer.body_length, NULL);

          if (session == NULL)
            fail (request, bytes, "sent a session the desk cannot read");
        }

      if (answer.status == 204 && is_status_path (request->path)
          && request->auth != AUTH_INSTITUTION && request->auth != AUTH_ADMIN)
        fail (request, bytes, "let a user who is not an institution user change a status");
    }

  /* A sign-out revoked the token the harness holds for this user. */
  if (answer.status == 204 && is_authenticated (request->auth)
      && g_str_equal (request->method, "DELETE"))
    reissue_token (request->auth);

  g_free (answer.content_type);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(Request) request = NULL;
  g_autoptr(GByteArray) answer = NULL;

  if (size < 1)
    return 0;

  request = build_request (data, size);
  answer = exchange (request);
  check_answer (request, answer);

  return 0;
}
