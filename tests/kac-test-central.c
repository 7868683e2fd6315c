/* kac-test-central.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "kac-test-central"

#include "config.h"

#include "kac-test-central.h"

#include "kac-central-auth.h"
#include "kac-tls.h"

/* PKI */

static void
run_openssl (const char         *dir,
             const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "openssl");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (dir, (char **) argv->pdata, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s failed: %s", args[0], err);
}

static void
make_ca (const char *dir,
         const char *name,
         const char *subject)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  const char * const args[] = {
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", key, "-out", pem, "-days", "2", "-subj", subject,
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign", NULL
  };

  run_openssl (dir, args);
}

void
kac_test_make_pki (const char *dir)
{
  g_autofree char *ext = NULL;
  const char * const csr[] = {
    "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", KAC_TEST_PKI_LEAF_KEY, "-out", "leaf.csr", "-subj", "/CN=localhost", NULL
  };
  const char * const sign[] = {
    "x509", "-req", "-in", "leaf.csr", "-CA", KAC_TEST_PKI_CA, "-CAkey", "ca.key", "-CAcreateserial",
    "-out", KAC_TEST_PKI_LEAF, "-days", "2", "-extfile", "leaf.ext", NULL
  };
  g_autoptr(GError) error = NULL;

  g_return_if_fail (dir != NULL);

  ext = g_build_filename (dir, "leaf.ext", NULL);
  g_file_set_contents (ext,
                       "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                       "basicConstraints=CA:FALSE\n"
                       "keyUsage=critical,digitalSignature\n"
                       "extendedKeyUsage=serverAuth\n", -1, &error);
  g_assert_no_error (error);

  /* openssl runs in @dir: every file it is given is relative to it ("ca" makes
   * KAC_TEST_PKI_CA, "other" KAC_TEST_PKI_OTHER_CA). */
  make_ca (dir, "ca", "/CN=KAC test CA");
  make_ca (dir, "other", "/CN=Somebody else's CA");
  run_openssl (dir, csr);
  run_openssl (dir, sign);
}

/* Central */

void
kac_test_central_add_user (KacCentralStore *store,
                           const char      *username,
                           const char      *password,
                           KacCentralRole   role,
                           const char      *centre,
                           const char      *institution)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = kac_central_hash_password (password, &error);

  g_assert_no_error (error);
  g_assert_true (kac_central_store_add_user (store, username, NULL, hash, role, centre, institution, &error));
  g_assert_no_error (error);
}

KacTestCentral *
kac_test_central_new (void)
{
  g_autoptr(KacTestCentral) central = g_new0 (KacTestCentral, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *leaf = NULL;
  g_autofree char *key = NULL;

  /* As kac-central and kac-desk do in main(): no TLS 1.0 or 1.1 (kac-tls.h). */
  kac_tls_require_tls12 ();

  /* Tests only: the cheapest Argon2id the server allows (see kac-central-auth.h). */
  g_setenv ("KAC_CENTRAL_PWHASH_COST", "min", TRUE);
  kac_central_auth_init (&error);
  g_assert_no_error (error);

  central->dir = kac_test_make_tmp_dir ("kac-sync-central-XXXXXX");
  kac_test_make_pki (central->dir);
  central->ca_file = g_build_filename (central->dir, KAC_TEST_PKI_CA, NULL);
  central->other_ca_file = g_build_filename (central->dir, KAC_TEST_PKI_OTHER_CA, NULL);
  leaf = g_build_filename (central->dir, KAC_TEST_PKI_LEAF, NULL);
  key = g_build_filename (central->dir, KAC_TEST_PKI_LEAF_KEY, NULL);
  central->certificate = g_tls_certificate_new_from_files (leaf, key, &error);
  g_assert_no_error (error);

  central->db_path = g_build_filename (central->dir, "central.db", NULL);
  central->store = kac_central_store_open (central->db_path, &error);
  g_assert_no_error (error);
  kac_central_store_add_centre (central->store, KAC_TEST_CENTRE, "Rīgas VPVKAC", KAC_CENTRE_KIND_NATIONAL, &error);
  g_assert_no_error (error);
  kac_central_store_add_centre (central->store, KAC_TEST_OTHER_CENTRE, "Cēsu VPVKAC", KAC_CENTRE_KIND_REGIONAL, &error);
  g_assert_no_error (error);
  kac_test_central_add_user (central->store, KAC_TEST_CLERK, KAC_TEST_PASSWORD,
                             KAC_CENTRAL_ROLE_CLERK, KAC_TEST_CENTRE, NULL);
  kac_test_central_add_user (central->store, KAC_TEST_INSTITUTION, "vsaa-password",
                             KAC_CENTRAL_ROLE_INSTITUTION, NULL, "VSAA");

  kac_test_central_start (central);

  return g_steal_pointer (&central);
}

void
kac_test_central_start (KacTestCentral *central)
{
  g_autoptr(GError) error = NULL;
  GUri *uri;

  /* A server listens once; "bringing it back" is a new server on the same store and port. */
  g_assert_null (central->server);
  central->server = kac_central_server_new (central->store, NULL, &error);
  g_assert_no_error (error);
  kac_central_server_listen (central->server, central->certificate, "127.0.0.1", central->port, &error);
  g_assert_no_error (error);

  uri = kac_central_server_get_uri (central->server);
  g_assert_nonnull (uri);
  if (central->port == 0)
    {
      central->port = (guint) g_uri_get_port (uri);
      central->uri = g_strdup_printf ("https://127.0.0.1:%u/", central->port);
    }
  g_assert_cmpuint ((guint) g_uri_get_port (uri), ==, central->port);
}

void
kac_test_central_stop (KacTestCentral *central)
{
  kac_central_server_disconnect (central->server);
  g_clear_object (&central->server);
}

void
kac_test_central_free (KacTestCentral *central)
{
  if (central == NULL)
    return;

  if (central->server != NULL)
    {
      kac_central_server_disconnect (central->server);
      g_clear_object (&central->server);
    }
  g_clear_object (&central->store);
  /* Let the server's last callbacks run before its files go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&central->certificate);
  if (central->dir != NULL)
    kac_test_remove_tree (central->dir);
  g_free (central->dir);
  g_free (central->ca_file);
  g_free (central->other_ca_file);
  g_free (central->db_path);
  g_free (central->uri);
  g_free (central);
}

char *
kac_test_central_issue_token (KacTestCentral *central,
                              const char     *username,
                              GTimeSpan       lifetime)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralUser) user = kac_central_store_lookup_user (central->store, username, &error);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add (now, lifetime);
  guint8 hash[KAC_CENTRAL_TOKEN_HASH_SIZE];
  char *token = kac_central_new_token ();

  g_assert_no_error (error);
  g_assert_nonnull (user);
  kac_central_hash_token (token, hash);
  kac_central_store_add_token (central->store, hash, user->id, expires, &error);
  g_assert_no_error (error);

  return token;
}

void
kac_test_central_revoke_token (KacTestCentral *central,
                               const char     *token)
{
  g_autoptr(GError) error = NULL;
  guint8 hash[KAC_CENTRAL_TOKEN_HASH_SIZE];

  kac_central_hash_token (token, hash);
  kac_central_store_revoke_token (central->store, hash, &error);
  g_assert_no_error (error);
}

char *
kac_test_central_dup_number (KacTestCentral *central,
                             const char     *uuid)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KacCentralStoredRecord) stored = kac_central_store_find_record (central->store, uuid, &error);

  g_assert_no_error (error);

  return stored != NULL ? g_strdup (stored->central_number) : NULL;
}

/* Main loop */

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

gboolean
kac_test_wait_until (KacTestPredicate predicate,
                     gpointer         data,
                     guint            timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);
  gboolean result;

  while (!(result = predicate (data)) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return result;
}

void
kac_test_run_for (guint ms)
{
  gboolean timed_out = FALSE;

  g_timeout_add (ms, timeout_cb, &timed_out);
  while (!timed_out)
    g_main_context_iteration (NULL, TRUE);
}

/* HTTP */

typedef struct
{
  GBytes   *body;
  GError   *error;
  gboolean  done;
} Reply;

static void
send_and_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Reply *reply = user_data;

  reply->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &reply->error);
  reply->done = TRUE;
}

GBytes *
kac_test_send_and_read (SoupSession  *session,
                        SoupMessage  *msg,
                        GError      **error)
{
  Reply reply = { 0 };

  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (SOUP_IS_MESSAGE (msg), NULL);

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, send_and_read_cb, &reply);
  while (!reply.done)
    g_main_context_iteration (NULL, TRUE);

  if (reply.error != NULL)
    {
      g_propagate_error (error, reply.error);
      return NULL;
    }

  return reply.body;
}
