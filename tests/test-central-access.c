/* test-central-access.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The access policy of kac-central as a table: every endpoint × role (none, clerk, manager,
 * institution, admin) × scope (the target belongs to the user's own centre or institution, or
 * to another one), each cell with the exact HTTP status the server must answer. The table IS
 * the documented policy (docs/reliability.md); a change of policy is a change of this table.
 *
 * The acting users: anna (clerk of riga-1), mara (manager of riga-1), vsaa (institution VSAA),
 * admin. "Own" targets are riga-1's records, notices and figures and VSAA's records,
 * materials, notices and attachments; "other" targets are those of cesis and of VID. Every cell
 * gets fresh targets and a fresh token, so cells do not depend on each other's order. The
 * server runs in this process over real HTTPS (kac-test-central.h).
 */
#define G_LOG_DOMAIN "test-central-access"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "kac-central-auth.h"
#include "kac-central-server.h"
#include "kac-central-store.h"
#include "kac-test-central.h"
#include "kac-wire.h"

typedef enum
{
  ROLE_NONE,
  ROLE_CLERK,
  ROLE_MANAGER,
  ROLE_INSTITUTION,
  ROLE_ADMIN,
  N_ROLES
} Role;

typedef enum
{
  SCOPE_OWN,
  SCOPE_OTHER,
  N_SCOPES
} Scope;

static const char * const role_names[N_ROLES] = { "none", "clerk", "manager", "institution", "admin" };
static const char * const scope_names[N_SCOPES] = { "own", "other" };

/* The acting user of each role (none: no token). */
static const char * const role_users[N_ROLES] = { NULL, KAC_TEST_CLERK, "mara", KAC_TEST_INSTITUTION, "admin" };
static const char * const role_passwords[N_ROLES] = { NULL, KAC_TEST_PASSWORD, "mara-password",
                                                      "vsaa-password", "admin-password" };

#define OTHER_CLERK        "juris"       /* clerk of cesis: submits cesis's records */
#define OTHER_INSTITUTION  "vid"         /* institution VID */

static KacTestCentral *central;
static SoupSession *session;

/* What a cell sends. */
typedef struct
{
  char   *path;          /* below the base URI, without the leading "/" */
  GBytes *body;
  char   *content_type;
  char   *target;        /* what the check looks for in the answer (a UUID, an id) */
  gboolean no_token;     /* sign-in: no bearer token even for a role */
} Request;

static void
request_clear (Request *request)
{
  g_clear_pointer (&request->path, g_free);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->content_type, g_free);
  g_clear_pointer (&request->target, g_free);
}

typedef void     (*SetupFunc) (Role role, Scope scope, Request *request);
/* Checks a 2xx answer's content for the cell; FALSE with a message when it is wrong. */
typedef gboolean (*CheckFunc) (Role role, Scope scope, Request *request, GBytes *answer, char **why);

#define NA 0   /* the scope does not apply to this endpoint (only "own" is sent) */

typedef struct
{
  const char *method;
  const char *route;
  SetupFunc   setup;
  CheckFunc   check;
  guint       expected[N_ROLES][N_SCOPES];
} Endpoint;

/* Targets */

static KacCentralUser *
lookup_user (const char *username)
{
  g_autoptr(GError) error = NULL;
  KacCentralUser *user = kac_central_store_lookup_user (central->store, username, &error);

  g_assert_no_error (error);
  g_assert_nonnull (user);
  return user;
}

static KacRecord *
make_record (Scope scope)
{
  return kac_test_make_application (scope == SCOPE_OWN ? KAC_TEST_CLERK : OTHER_CLERK,
                                    scope == SCOPE_OWN ? KAC_TEST_CENTRE : KAC_TEST_OTHER_CENTRE);
}

/* A record stored straight into the central store: riga-1's of VSAA (own) or cesis's of VID
 * (other). Returns its UUID. */
static char *
insert_record (Scope scope)
{
  g_autoptr(KacRecord) record = make_record (scope);
  g_autoptr(KacCentralUser) user = lookup_user (scope == SCOPE_OWN ? KAC_TEST_CLERK : OTHER_CLERK);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = kac_wire_encode_record (record);
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, body, -1);
  g_autofree char *number = NULL;

  g_assert_true (kac_central_store_begin (central->store, &error));
  number = kac_central_store_insert_record (central->store, record, body, hash,
                                            scope == SCOPE_OWN ? "VSAA" : "VID", user, now, &error);
  g_assert_no_error (error);
  g_assert_nonnull (number);
  g_assert_true (kac_central_store_commit (central->store, &error));

  return g_strdup (kac_record_get_uuid (record));
}

static GBytes *
material_request (const char *service)
{
  g_autoptr(KacWireMaterial) material = kac_wire_material_new ();
  const char *services[] = { service, NULL };

  material->title = g_strdup ("Bērna kopšanas pabalsts: kā pieņemt iesniegumu");
  material->body = g_strdup ("Pārbaudiet personas apliecinošu dokumentu.");
  material->services = g_strdupv ((GStrv) services);
  return kac_wire_encode_material_request (material);
}

static GBytes *
notice_request (const char *centre)
{
  g_autoptr(KacWireNotice) notice = kac_wire_notice_new ();
  const char *centres[] = { centre, NULL };

  notice->kind = KAC_NOTICE_KIND_SPECIALIST_ASSIGNED;
  notice->centres = g_strdupv ((GStrv) centres);
  notice->position = g_strdup ("Vecākais eksperts");
  notice->name = g_strdup ("Ilze Kalniņa");
  notice->starts_at = g_date_time_new_from_iso8601 ("2030-03-04T09:00:00+02:00", NULL);
  return kac_wire_encode_notice_request (notice);
}

/* Sends @method @path as @username (NULL: no token); returns the status and the answer. */
static guint
send_request (const char  *method,
              const char  *path,
              const char  *token,
              const char  *content_type,
              GBytes      *body,
              GBytes     **answer)
{
  g_autofree char *url = g_strconcat (central->uri, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) read = NULL;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);

  read = kac_test_send_and_read (session, msg, &error);
  g_assert_no_error (error);
  if (answer != NULL)
    *answer = g_steal_pointer (&read);

  return soup_message_get_status (msg);
}

/* Publishes as @username (an institution user) and returns the new item's id. */
static char *
publish_as (const char *username,
            const char *path,
            GBytes     *body)
{
  g_autofree char *token = kac_test_central_issue_token (central, username, G_TIME_SPAN_HOUR);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  guint status = send_request ("POST", path, token, "application/json", body, &answer);

  g_assert_cmpuint (status, ==, 201);
  json_parser_load_from_data (parser, g_bytes_get_data (answer, NULL), g_bytes_get_size (answer), &error);
  g_assert_no_error (error);
  return g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "id"));
}

static char *
publish_material_of (Scope scope)
{
  g_autoptr(GBytes) body = material_request (scope == SCOPE_OWN ? "VSAA-01" : "VID-01");

  return publish_as (scope == SCOPE_OWN ? KAC_TEST_INSTITUTION : OTHER_INSTITUTION, "api/v1/materials", body);
}

static char *
publish_notice_of (Scope scope)
{
  g_autoptr(GBytes) body = notice_request (scope == SCOPE_OWN ? KAC_TEST_CENTRE : KAC_TEST_OTHER_CENTRE);

  return publish_as (scope == SCOPE_OWN ? KAC_TEST_INSTITUTION : OTHER_INSTITUTION, "api/v1/notices", body);
}

static char *
upload_attachment_of (Scope scope)
{
  g_autofree char *token = kac_test_central_issue_token (central, scope == SCOPE_OWN ? KAC_TEST_INSTITUTION
                                                                                    : OTHER_INSTITUTION,
                                                         G_TIME_SPAN_HOUR);
  /* Different bytes each time: an attachment is stored by its hash once. */
  g_autofree char *text = g_strdup_printf ("Instrukcija %s %u\n", scope_names[scope], g_random_int ());
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  g_assert_cmpuint (send_request ("POST", "api/v1/attachments", token, "text/plain", body, NULL), ==, 201);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

/* Set-ups, one per endpoint */

static void
setup_plain (const char *path,
             Request    *request)
{
  request->path = g_strdup (path);
}

static void
setup_healthz (Role role, Scope scope, Request *request)
{
  setup_plain ("healthz", request);
}

static void
setup_metrics (Role role, Scope scope, Request *request)
{
  setup_plain ("metrics", request);
}

static void
setup_openapi (Role role, Scope scope, Request *request)
{
  setup_plain ("api/v1/openapi.yaml", request);
}

static void
setup_catalog (Role role, Scope scope, Request *request)
{
  setup_plain ("api/v1/catalog", request);
}

static void
setup_not_found (Role role, Scope scope, Request *request)
{
  setup_plain ("api/v1/nothing-here", request);
}

/* Own: the role's user with its password; other: another user's password. None: a user that
 * does not exist. */
static void
setup_sign_in (Role role, Scope scope, Request *request)
{
  const char *username = role == ROLE_NONE ? "nobody" : role_users[role];
  const char *password = role == ROLE_NONE ? "nothing"
                         : role_passwords[scope == SCOPE_OWN ? role : (role % (N_ROLES - 1)) + 1];

  request->path = g_strdup ("api/v1/session");
  request->body = kac_wire_encode_sign_in (username, password);
  request->content_type = g_strdup ("application/json");
  request->no_token = TRUE;
}

static void
setup_sign_out (Role role, Scope scope, Request *request)
{
  setup_plain ("api/v1/session", request);
}

static void
setup_records (Role role, Scope scope, Request *request)
{
  g_autoptr(KacRecord) record = make_record (scope);
  g_autofree char *body = kac_wire_encode_record (record);
  const char *bodies[] = { body };

  request->path = g_strdup ("api/v1/records");
  request->body = kac_wire_encode_batch_request (bodies, 1);
  request->content_type = g_strdup ("application/json");
  request->target = g_strdup (kac_record_get_uuid (record));
}

static void
setup_changes (Role role, Scope scope, Request *request)
{
  request->target = insert_record (scope);
  request->path = g_strdup ("api/v1/records/changes?limit=1000");
}

static void
setup_status (Role role, Scope scope, Request *request)
{
  request->target = insert_record (scope);
  request->path = g_strdup_printf ("api/v1/records/%s/status", request->target);
  request->body = kac_wire_encode_status_change (KAC_APPLICATION_STATUS_FORWARDED, "2030-01-31", NULL);
  request->content_type = g_strdup ("application/json");
}

static void
setup_stats (Role role, Scope scope, Request *request)
{
  request->path = g_strdup_printf ("api/v1/stats?centre=%s&from=2026-01-01&to=2026-01-31",
                                   scope == SCOPE_OWN ? KAC_TEST_CENTRE : KAC_TEST_OTHER_CENTRE);
}

static void
setup_list_materials (Role role, Scope scope, Request *request)
{
  request->target = publish_material_of (scope);
  request->path = g_strdup ("api/v1/materials?limit=1000");
}

static void
setup_publish_material (Role role, Scope scope, Request *request)
{
  request->path = g_strdup ("api/v1/materials");
  request->body = material_request (scope == SCOPE_OWN ? "VSAA-01" : "VID-01");
  request->content_type = g_strdup ("application/json");
}

static void
setup_put_material (Role role, Scope scope, Request *request)
{
  request->target = publish_material_of (scope);
  request->path = g_strconcat ("api/v1/materials/", request->target, NULL);
  request->body = material_request ("VSAA-02");
  request->content_type = g_strdup ("application/json");
}

static void
setup_delete_material (Role role, Scope scope, Request *request)
{
  request->target = publish_material_of (scope);
  request->path = g_strconcat ("api/v1/materials/", request->target, NULL);
}

static void
setup_list_notices (Role role, Scope scope, Request *request)
{
  request->target = publish_notice_of (scope);
  request->path = g_strdup ("api/v1/notices?limit=1000");
}

static void
setup_publish_notice (Role role, Scope scope, Request *request)
{
  request->path = g_strdup ("api/v1/notices");
  request->body = notice_request (scope == SCOPE_OWN ? KAC_TEST_CENTRE : KAC_TEST_OTHER_CENTRE);
  request->content_type = g_strdup ("application/json");
}

static void
setup_put_notice (Role role, Scope scope, Request *request)
{
  request->target = publish_notice_of (scope);
  request->path = g_strconcat ("api/v1/notices/", request->target, NULL);
  request->body = notice_request (KAC_TEST_CENTRE);
  request->content_type = g_strdup ("application/json");
}

static void
setup_delete_notice (Role role, Scope scope, Request *request)
{
  request->target = publish_notice_of (scope);
  request->path = g_strconcat ("api/v1/notices/", request->target, NULL);
}

static void
setup_upload (Role role, Scope scope, Request *request)
{
  g_autofree char *text = g_strdup_printf ("Pielikums %u\n", g_random_int ());

  request->path = g_strdup ("api/v1/attachments");
  request->body = g_bytes_new (text, strlen (text));
  request->content_type = g_strdup ("text/plain");
}

static void
setup_get_attachment (Role role, Scope scope, Request *request)
{
  request->target = upload_attachment_of (scope);
  request->path = g_strconcat ("api/v1/attachments/", request->target, NULL);
}

static void
setup_audit (Role role, Scope scope, Request *request)
{
  setup_plain ("api/v1/audit?limit=1000", request);
}

/* Checks of what a 2xx answer holds */

static gboolean
answer_contains (GBytes     *answer,
                 const char *text)
{
  g_autofree char *string = g_strndup (g_bytes_get_data (answer, NULL), g_bytes_get_size (answer));

  return strstr (string, text) != NULL;
}

/* A clerk's or manager's batch: accepted for their own centre, rejected (wrong-centre) for
 * another one, and nothing stored then. */
static gboolean
check_records (Role role, Scope scope, Request *request, GBytes *answer, char **why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = kac_wire_decode_batch_response (g_bytes_get_data (answer, NULL),
                                                                 g_bytes_get_size (answer), &error);
  g_autofree char *number = NULL;
  KacWireItemResult *result;

  if (results == NULL || results->len != 1)
    {
      *why = g_strdup ("not a batch answer of one item");
      return FALSE;
    }

  result = g_ptr_array_index (results, 0);
  number = kac_test_central_dup_number (central, request->target);
  if (scope == SCOPE_OWN && (result->status != KAC_WIRE_ITEM_ACCEPTED || number == NULL))
    {
      *why = g_strdup ("the own centre's record was not accepted");
      return FALSE;
    }
  if (scope == SCOPE_OTHER
      && (result->status != KAC_WIRE_ITEM_REJECTED || g_strcmp0 (result->code, "wrong-centre") != 0
          || number != NULL))
    {
      *why = g_strdup ("another centre's record was not rejected as wrong-centre");
      return FALSE;
    }

  return TRUE;
}

/* Feeds by centre: the own centre's item is in it, another centre's is not. */
static gboolean
check_centre_feed (Role role, Scope scope, Request *request, GBytes *answer, char **why)
{
  gboolean present = answer_contains (answer, request->target);

  if (present != (scope == SCOPE_OWN))
    {
      *why = g_strdup_printf ("the %s item is %s the answer", scope_names[scope],
                              present ? "in" : "missing from");
      return FALSE;
    }

  return TRUE;
}

/* Materials are for every centre: every signed-in user sees those of every institution. */
static gboolean
check_materials_feed (Role role, Scope scope, Request *request, GBytes *answer, char **why)
{
  if (!answer_contains (answer, request->target))
    {
      *why = g_strdup ("the material is missing from the feed");
      return FALSE;
    }

  return TRUE;
}

/* Figures of the asked centre, not of the user's. */
static gboolean
check_stats (Role role, Scope scope, Request *request, GBytes *answer, char **why)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWireStats) stats = kac_wire_decode_stats (g_bytes_get_data (answer, NULL),
                                                         g_bytes_get_size (answer), &error);
  const char *centre = scope == SCOPE_OWN ? KAC_TEST_CENTRE : KAC_TEST_OTHER_CENTRE;

  if (stats == NULL || g_strcmp0 (stats->centre_id, centre) != 0)
    {
      *why = g_strdup_printf ("not the figures of %s", centre);
      return FALSE;
    }

  return TRUE;
}

/* The audit page lists the sign-ins the cells before made (their tokens were issued straight
 * into the store, but sign-in cells went through POST /api/v1/session). */
static gboolean
check_audit (Role role, Scope scope, Request *request, GBytes *answer, char **why)
{
  if (!answer_contains (answer, "\"event\":\"sign-in\""))
    {
      *why = g_strdup ("no sign-in in the audit log");
      return FALSE;
    }

  return TRUE;
}

/* The table. Every row is one endpoint; [role][scope] is the status; NA: not applicable. */
static const Endpoint endpoints[] = {
  { "GET", "/healthz", setup_healthz, NULL,
    { { 200, NA }, { 200, NA }, { 200, NA }, { 200, NA }, { 200, NA } } },
  /* Public on purpose: Prometheus scrapes without a token; it holds counters only. */
  { "GET", "/metrics", setup_metrics, NULL,
    { { 200, NA }, { 200, NA }, { 200, NA }, { 200, NA }, { 200, NA } } },
  { "GET", "/api/v1/openapi.yaml", setup_openapi, NULL,
    { { 200, NA }, { 200, NA }, { 200, NA }, { 200, NA }, { 200, NA } } },
  /* Own: the right password; other: another user's password. */
  { "POST", "/api/v1/session", setup_sign_in, NULL,
    { { 401, 401 }, { 200, 401 }, { 200, 401 }, { 200, 401 }, { 200, 401 } } },
  { "DELETE", "/api/v1/session", setup_sign_out, NULL,
    { { 401, NA }, { 204, NA }, { 204, NA }, { 204, NA }, { 204, NA } } },
  /* Other: a registration naming another centre is refused per item (200, wrong-centre). */
  { "POST", "/api/v1/records", setup_records, check_records,
    { { 401, 401 }, { 200, 200 }, { 200, 200 }, { 403, 403 }, { 403, 403 } } },
  { "GET", "/api/v1/records/changes", setup_changes, check_centre_feed,
    { { 401, 401 }, { 200, 200 }, { 200, 200 }, { 403, 403 }, { 403, 403 } } },
  /* Own: a record of the institution's service; other: of another institution. */
  { "POST", "/api/v1/records/{uuid}/status", setup_status, NULL,
    { { 401, 401 }, { 403, 403 }, { 403, 403 }, { 204, 403 }, { 204, 204 } } },
  { "GET", "/api/v1/catalog", setup_catalog, NULL,
    { { 401, NA }, { 200, NA }, { 200, NA }, { 200, NA }, { 200, NA } } },
  { "GET", "/api/v1/stats", setup_stats, check_stats,
    { { 401, 401 }, { 403, 403 }, { 200, 403 }, { 403, 403 }, { 200, 200 } } },
  { "GET", "/api/v1/materials", setup_list_materials, check_materials_feed,
    { { 401, 401 }, { 200, 200 }, { 200, 200 }, { 200, 200 }, { 200, 200 } } },
  /* Other: a material for another institution's service (400 unknown-service, by field). */
  { "POST", "/api/v1/materials", setup_publish_material, NULL,
    { { 401, 401 }, { 403, 403 }, { 403, 403 }, { 201, 400 }, { 403, 403 } } },
  { "PUT", "/api/v1/materials/{id}", setup_put_material, NULL,
    { { 401, 401 }, { 403, 403 }, { 403, 403 }, { 200, 403 }, { 403, 403 } } },
  { "DELETE", "/api/v1/materials/{id}", setup_delete_material, NULL,
    { { 401, 401 }, { 403, 403 }, { 403, 403 }, { 204, 403 }, { 403, 403 } } },
  { "GET", "/api/v1/notices", setup_list_notices, check_centre_feed,
    { { 401, 401 }, { 200, 200 }, { 200, 200 }, { 403, 403 }, { 403, 403 } } },
  /* An institution notifies any centre (its specialists serve many). */
  { "POST", "/api/v1/notices", setup_publish_notice, NULL,
    { { 401, 401 }, { 403, 403 }, { 403, 403 }, { 201, 201 }, { 403, 403 } } },
  { "PUT", "/api/v1/notices/{id}", setup_put_notice, NULL,
    { { 401, 401 }, { 403, 403 }, { 403, 403 }, { 200, 403 }, { 403, 403 } } },
  { "DELETE", "/api/v1/notices/{id}", setup_delete_notice, NULL,
    { { 401, 401 }, { 403, 403 }, { 403, 403 }, { 204, 403 }, { 403, 403 } } },
  { "POST", "/api/v1/attachments", setup_upload, NULL,
    { { 401, NA }, { 403, NA }, { 403, NA }, { 201, NA }, { 403, NA } } },
  /* Attachments belong to materials, which every centre reads. */
  { "GET", "/api/v1/attachments/{sha256}", setup_get_attachment, NULL,
    { { 401, 401 }, { 200, 200 }, { 200, 200 }, { 200, 200 }, { 200, 200 } } },
  /* The audit log: administrators only. */
  { "GET", "/api/v1/audit", setup_audit, check_audit,
    { { 401, NA }, { 403, NA }, { 403, NA }, { 403, NA }, { 200, NA } } },
  /* Unknown addresses: 404 before any sign-in check. */
  { "GET", "/api/v1/nothing-here", setup_not_found, NULL,
    { { 404, NA }, { 404, NA }, { 404, NA }, { 404, NA }, { 404, NA } } },
};

static guint n_cells_run;

/* One endpoint: every role and scope. Mismatches are collected, so one run shows them all. */
static void
test_endpoint (gconstpointer data)
{
  const Endpoint *endpoint = data;
  g_autoptr(GString) failures = g_string_new (NULL);

  for (Role role = 0; role < N_ROLES; role++)
    for (Scope scope = 0; scope < N_SCOPES; scope++)
      {
        guint expected = endpoint->expected[role][scope];
        g_autofree char *token = NULL;
        g_autoptr(GBytes) answer = NULL;
        g_autofree char *why = NULL;
        Request request = { 0 };
        guint status;

        if (expected == NA)
          continue;

        endpoint->setup (role, scope, &request);
        if (role != ROLE_NONE && !request.no_token)
          token = kac_test_central_issue_token (central, role_users[role], G_TIME_SPAN_HOUR);

        status = send_request (endpoint->method, request.path, token, request.content_type,
                               request.body, &answer);
        n_cells_run++;

        if (status != expected)
          g_string_append_printf (failures, "  %s %s as %s (%s): %u, expected %u\n",
                                  endpoint->method, endpoint->route, role_names[role],
                                  scope_names[scope], status, expected);
        else if (SOUP_STATUS_IS_SUCCESSFUL (status) && endpoint->check != NULL
                 && !endpoint->check (role, scope, &request, answer, &why))
          g_string_append_printf (failures, "  %s %s as %s (%s): %s\n", endpoint->method,
                                  endpoint->route, role_names[role], scope_names[scope], why);

        request_clear (&request);
      }

  if (failures->len > 0)
    g_test_message ("Cells that differ from the policy:\n%s", failures->str);
  g_assert_cmpstr (failures->str, ==, "");
}

/* Tokens that exist but no longer count: expired and revoked are refused on a protected
 * endpoint exactly like no token. */
static void
test_dead_tokens (void)
{
  g_autofree char *expired = kac_test_central_issue_token (central, KAC_TEST_CLERK, -G_TIME_SPAN_SECOND);
  g_autofree char *revoked = kac_test_central_issue_token (central, "admin", G_TIME_SPAN_HOUR);

  kac_test_central_revoke_token (central, revoked);
  g_assert_cmpuint (send_request ("GET", "api/v1/catalog", expired, NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (send_request ("GET", "api/v1/catalog", revoked, NULL, NULL, NULL), ==, 401);
  g_assert_cmpuint (send_request ("GET", "api/v1/catalog", "not-a-token", NULL, NULL, NULL), ==, 401);
}

static void
test_summary (void)
{
  g_test_message ("%u endpoints, %u cells sent", (guint) G_N_ELEMENTS (endpoints), n_cells_run);
  g_assert_cmpuint (n_cells_run, >, 0);
}

static SoupSession *
new_session (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (central->ca_file, &error);

  g_assert_no_error (error);
  return soup_session_new_with_options ("tls-database", database, "timeout", 10, NULL);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  central = kac_test_central_new ();
  kac_test_central_add_user (central->store, "mara", "mara-password", KAC_CENTRAL_ROLE_MANAGER,
                             KAC_TEST_CENTRE, NULL);
  kac_test_central_add_user (central->store, "admin", "admin-password", KAC_CENTRAL_ROLE_ADMIN, NULL, NULL);
  kac_test_central_add_user (central->store, OTHER_CLERK, "juris-password", KAC_CENTRAL_ROLE_CLERK,
                             KAC_TEST_OTHER_CENTRE, NULL);
  kac_test_central_add_user (central->store, OTHER_INSTITUTION, "vid-password",
                             KAC_CENTRAL_ROLE_INSTITUTION, NULL, "VID");
  session = new_session ();

  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autofree char *route = g_strdup (endpoints[i].route + 1);
      g_autofree char *path = NULL;

      /* "GET /api/v1/records/{uuid}/status" → "/central-access/07-GET-api-v1-records-uuid-status" */
      g_strdelimit (route, "/", '-');
      g_strdelimit (route, "{}", '_');
      path = g_strdup_printf ("/central-access/%02u-%s-%s", i, endpoints[i].method, route);

      g_test_add_data_func (path, &endpoints[i], test_endpoint);
    }
  g_test_add_func ("/central-access/dead-tokens", test_dead_tokens);
  g_test_add_func ("/central-access/summary", test_summary);

  status = g_test_run ();

  g_clear_object (&session);
  kac_test_central_free (central);
  return status;
}
