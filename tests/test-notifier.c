/* test-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KacNotifier against a real org.freedesktop.Notifications service on a private session bus
 * (GTestDBus starts a dbus-daemon): a small server of our own, on its own thread and
 * connection (libnotify calls it synchronously from the main thread), records every Notify.
 * The items come from the store's apply path, the one the sync engine's pull uses, so what is
 * notified is what the store announces once.
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libnotify/notify.h>

#include "kac-notifier.h"
#include "kac-store-materials.h"
#include "kac-test-util.h"

#define ID1 "00000000-0000-4000-8000-000000000001"
#define ID2 "00000000-0000-4000-8000-000000000002"
#define ID3 "00000000-0000-4000-8000-000000000003"
#define ID4 "00000000-0000-4000-8000-000000000004"

/* The notification server */

static const char server_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' direction='in'/><arg type='u' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "      <arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "      <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "      <arg type='u' direction='out'/>"
  "    </method>"
  "    <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "      <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "    <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "    <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  "  </interface>"
  "</node>";

typedef struct
{
  GMutex           lock;
  GCond            cond;
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  GDBusConnection *connection;
  gboolean         owned;
  guint            next_id;
  GPtrArray       *summaries;  /* of char*, one per Notify */
  GPtrArray       *bodies;
  GPtrArray       *actions;    /* of GStrv */
} Server;

static Server server;

static void
server_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  if (g_strcmp0 (method_name, "Notify") == 0)
    {
      const char *summary, *body;
      g_autofree const char **actions = NULL;
      guint id;

      g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", NULL, NULL, NULL, &summary, &body,
                     &actions, NULL, NULL);
      g_mutex_lock (&server.lock);
      id = ++server.next_id;
      g_ptr_array_add (server.summaries, g_strdup (summary));
      g_ptr_array_add (server.bodies, g_strdup (body));
      g_ptr_array_add (server.actions, g_strdupv ((GStrv) actions));
      g_cond_broadcast (&server.cond);
      g_mutex_unlock (&server.lock);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", id));
    }
  else if (g_strcmp0 (method_name, "GetCapabilities") == 0)
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else if (g_strcmp0 (method_name, "GetServerInformation") == 0)
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test-notifier", "KAC", "1", "1.2"));
  else if (g_strcmp0 (method_name, "CloseNotification") == 0)
    g_dbus_method_invocation_return_value (invocation, NULL);
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

static const GDBusInterfaceVTable server_vtable = { server_method_call, NULL, NULL, { 0 } };

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  g_mutex_lock (&server.lock);
  server.owned = TRUE;
  g_cond_broadcast (&server.cond);
  g_mutex_unlock (&server.lock);
}

static gpointer
server_thread (gpointer data)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (server_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  guint owner;

  g_main_context_push_thread_default (server.context);

  /* Its own connection: libnotify blocks the main thread's one while it waits for us. */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  server.connection = g_dbus_connection_new_for_address_sync (address,
                                                              G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                              | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                              NULL, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (server.connection, "/org/freedesktop/Notifications",
                                     info->interfaces[0], &server_vtable, NULL, NULL, &error);
  g_assert_no_error (error);
  owner = g_bus_own_name_on_connection (server.connection, "org.freedesktop.Notifications",
                                        G_BUS_NAME_OWNER_FLAGS_NONE,
                                        name_acquired_cb, NULL, NULL, NULL);

  g_main_loop_run (server.loop);

  g_bus_unown_name (owner);
  g_dbus_connection_close_sync (server.connection, NULL, NULL);
  g_clear_object (&server.connection);
  g_main_context_pop_thread_default (server.context);
  return NULL;
}

static void
server_start (void)
{
  g_mutex_init (&server.lock);
  g_cond_init (&server.cond);
  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  server.summaries = g_ptr_array_new_with_free_func (g_free);
  server.bodies = g_ptr_array_new_with_free_func (g_free);
  server.actions = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  server.thread = g_thread_new ("notification-server", server_thread, NULL);

  g_mutex_lock (&server.lock);
  while (!server.owned)
    g_cond_wait (&server.cond, &server.lock);
  g_mutex_unlock (&server.lock);
}

static void
server_stop (void)
{
  g_main_loop_quit (server.loop);
  g_thread_join (server.thread);
  g_main_loop_unref (server.loop);
  g_main_context_unref (server.context);
  g_ptr_array_unref (server.summaries);
  g_ptr_array_unref (server.bodies);
  g_ptr_array_unref (server.actions);
}

static guint
server_count (void)
{
  guint n;

  g_mutex_lock (&server.lock);
  n = server.summaries->len;
  g_mutex_unlock (&server.lock);
  return n;
}

static char *
server_dup_summary (guint i)
{
  char *summary;

  g_mutex_lock (&server.lock);
  g_assert_cmpuint (i, <, server.summaries->len);
  summary = g_strdup (server.summaries->pdata[i]);
  g_mutex_unlock (&server.lock);
  return summary;
}

static gboolean
emit_action_invoked (gpointer data)
{
  guint id = GPOINTER_TO_UINT (data);

  g_dbus_connection_emit_signal (server.connection, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", id, "default"), NULL);
  return G_SOURCE_REMOVE;
}

/* The fixture: a store whose first pull is done, the settings and the notifier */

typedef struct
{
  KacTestFixture      dir;
  KacStore           *store;
  GSettings          *settings;
  GSimpleActionGroup *actions;
  KacNotifier        *notifier;
  char               *activated;  /* "action:id" of the last activation */
  guint               base;       /* Notify calls before this test */
} Fixture;

static void
activate_cb (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  Fixture *fixture = user_data;

  g_free (fixture->activated);
  fixture->activated = g_strdup_printf ("%s:%s", g_action_get_name (G_ACTION (action)),
                                        g_variant_get_string (param, NULL));
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(KacWireFeedPage) first = kac_wire_notices_page_new ();
  g_autoptr(KacWireFeedPage) first_materials = kac_wire_materials_page_new ();
  g_autoptr(GError) error = NULL;
  const GActionEntry entries[] = {
    { "show-notice", activate_cb, "s", NULL, NULL, { 0 } },
    { "show-material", activate_cb, "s", NULL, NULL, { 0 } },
  };

  kac_test_fixture_set_up (&fixture->dir, NULL);
  fixture->store = kac_store_open (fixture->dir.path, &error);
  g_assert_no_error (error);

  /* The first full pull of each feed announces nothing (an empty one here). */
  first->cursor = g_strdup ("n.0");
  g_assert_true (kac_store_apply_notices_page (fixture->store, first, NULL, &error));
  g_assert_no_error (error);
  first_materials->cursor = g_strdup ("m.0");
  g_assert_true (kac_store_apply_materials_page (fixture->store, first_materials, NULL, &error));
  g_assert_no_error (error);

  fixture->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_set_boolean (fixture->settings, "notifications-enabled", TRUE);
  fixture->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (fixture->actions), entries,
                                   G_N_ELEMENTS (entries), fixture);
  fixture->notifier = kac_notifier_new (G_ACTION_GROUP (fixture->actions), fixture->settings);
  fixture->base = server_count ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_assert_finalize_object (fixture->notifier);
  g_clear_object (&fixture->actions);
  g_settings_reset (fixture->settings, "notifications-enabled");
  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->store);
  g_clear_pointer (&fixture->activated, g_free);
  kac_test_fixture_tear_down (&fixture->dir, NULL);
}

static KacWireNotice *
make_notice (const char    *id,
             KacNoticeKind  kind,
             const char    *name)
{
  KacWireNotice *notice = kac_wire_notice_new ();

  notice->id = g_strdup (id);
  notice->version = 1;
  notice->institution = g_strdup ("VSAA");
  notice->kind = kind;
  notice->position = g_strdup ("Vecākā referente");
  notice->name = g_strdup (name);
  notice->starts_at = g_date_time_new_from_iso8601 ("2026-03-02T07:00:00Z", NULL);
  notice->ends_at = g_date_time_new_from_iso8601 ("2026-03-03T15:00:00Z", NULL);
  notice->created_at = g_date_time_new_now_utc ();
  return notice;
}

/* What the engine does with a committed page. */
static guint
apply_and_notify (Fixture         *fixture,
                  KacWireFeedPage *page,
                  gboolean         materials)
{
  g_autoptr(GPtrArray) to_notify = NULL;
  g_autoptr(GError) error = NULL;
  guint shown = 0;

  if (materials)
    g_assert_true (kac_store_apply_materials_page (fixture->store, page, &to_notify, &error));
  else
    g_assert_true (kac_store_apply_notices_page (fixture->store, page, &to_notify, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < to_notify->len; i++)
    {
      if (materials)
        {
          KacWireMaterial *material = to_notify->pdata[i];

          shown += kac_notifier_notify_material (fixture->notifier, material->id,
                                                 material->version > 1,
                                                 material->institution, material->title);
        }
      else
        shown += kac_notifier_notify_notice (fixture->notifier, to_notify->pdata[i]);
    }
  return shown;
}

static void
test_notices_once (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(KacWireFeedPage) page = kac_wire_notices_page_new ();
  g_autoptr(KacWireNotice) expected_notice = make_notice (ID2, KAC_NOTICE_KIND_SUBSTITUTION, "Anna Liepa & co");
  g_autofree char *expected = kac_notifier_dup_notice_summary (expected_notice);
  g_autofree char *summary = NULL;

  page->cursor = g_strdup ("n.1");
  g_ptr_array_add (page->items, make_notice (ID2, KAC_NOTICE_KIND_SUBSTITUTION, "Anna Liepa & co"));
  /* Assignments are on the Notices page, not worth a pop-up. */
  g_ptr_array_add (page->items, make_notice (ID3, KAC_NOTICE_KIND_SPECIALIST_ASSIGNED, "Ilze Ozola"));

  g_assert_cmpuint (apply_and_notify (fixture, page, FALSE), ==, 1);
  g_assert_cmpuint (server_count (), ==, fixture->base + 1);
  summary = server_dup_summary (fixture->base);
  g_assert_cmpstr (summary, ==, expected);
  g_assert_true (g_str_has_prefix (summary, "VSAA: Anna Liepa & co substitutes until "));
  g_mutex_lock (&server.lock);
  /* Plain text escaped for servers that read markup. */
  g_assert_nonnull (strstr (server.bodies->pdata[fixture->base], "Vecākā referente"));
  g_assert_true (g_strv_contains (server.actions->pdata[fixture->base], "default"));
  g_mutex_unlock (&server.lock);

  /* The same page again (a resend, or after a restart): nothing twice. */
  g_assert_cmpuint (apply_and_notify (fixture, page, FALSE), ==, 0);
  g_assert_cmpuint (server_count (), ==, fixture->base + 1);
}

static void
test_activate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KacWireFeedPage) page = kac_wire_notices_page_new ();
  guint id;

  page->cursor = g_strdup ("n.1");
  g_ptr_array_add (page->items, make_notice (ID1, KAC_NOTICE_KIND_ABSENCE, "Ilze Ozola"));
  g_assert_cmpuint (apply_and_notify (fixture, page, FALSE), ==, 1);
  id = server_count ();

  /* The clerk clicks the notification: the server says so on the bus. */
  g_main_context_invoke (server.context, emit_action_invoked, GUINT_TO_POINTER (id));
  while (fixture->activated == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (fixture->activated, ==, "show-notice:" ID1);
}

static void
test_materials (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(KacWireFeedPage) page = kac_wire_materials_page_new ();
  g_autoptr(KacWireFeedPage) update = kac_wire_materials_page_new ();
  KacWireMaterial *material = kac_wire_material_new ();
  KacWireMaterial *newer = kac_wire_material_new ();
  const char *services[] = { "VSAA-01", NULL };
  g_autofree char *summary = NULL;

  material->id = g_strdup (ID4);
  material->version = 1;
  material->institution = g_strdup ("VSAA");
  material->title = g_strdup ("Bērna kopšanas pabalsts");
  material->body = g_strdup ("Teksts");
  material->services = g_strdupv ((GStrv) services);
  material->updated_at = g_date_time_new_now_utc ();
  page->cursor = g_strdup ("m.1");
  g_ptr_array_add (page->items, material);

  g_assert_cmpuint (apply_and_notify (fixture, page, TRUE), ==, 1);
  summary = server_dup_summary (fixture->base);
  g_assert_cmpstr (summary, ==, "New material of VSAA: Bērna kopšanas pabalsts");
  g_clear_pointer (&summary, g_free);

  newer->id = g_strdup (ID4);
  newer->version = 2;
  newer->institution = g_strdup ("VSAA");
  newer->title = g_strdup ("Bērna kopšanas pabalsts");
  newer->body = g_strdup ("Jauns teksts");
  newer->services = g_strdupv ((GStrv) services);
  newer->updated_at = g_date_time_new_now_utc ();
  update->cursor = g_strdup ("m.2");
  g_ptr_array_add (update->items, newer);
  g_assert_cmpuint (apply_and_notify (fixture, update, TRUE), ==, 1);
  summary = server_dup_summary (fixture->base + 1);
  g_assert_cmpstr (summary, ==, "Updated material of VSAA: Bērna kopšanas pabalsts");
  g_assert_cmpuint (apply_and_notify (fixture, update, TRUE), ==, 0);
  g_assert_cmpuint (server_count (), ==, fixture->base + 2);
}

static void
test_disabled (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(KacWireFeedPage) page = kac_wire_notices_page_new ();

  g_settings_set_boolean (fixture->settings, "notifications-enabled", FALSE);
  page->cursor = g_strdup ("n.1");
  g_ptr_array_add (page->items, make_notice (ID1, KAC_NOTICE_KIND_ABSENCE, "Ilze Ozola"));
  g_assert_cmpuint (apply_and_notify (fixture, page, FALSE), ==, 0);

  /* Give a stray call time to arrive before counting. */
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (server_count (), ==, fixture->base);
}

/* The engine's signals reach the notifier, and stop reaching it when it lets go. */
static void
test_engine_signals (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(KacSyncEngine) engine = NULL;
  g_autoptr(KacWireNotice) notice = make_notice (ID1, KAC_NOTICE_KIND_ABSENCE, "Ilze Ozola");
  g_autofree char *expected = kac_notifier_dup_notice_summary (notice);
  g_autofree char *summary = NULL;

  engine = kac_sync_engine_new (fixture->store);
  kac_notifier_set_engine (fixture->notifier, engine);
  g_signal_emit_by_name (engine, "notice-arrived", ID1, notice);
  g_signal_emit_by_name (engine, "material-changed", ID4, (gint64) 2, TRUE, "VSAA", "Pensija");
  g_assert_cmpuint (server_count (), ==, fixture->base + 2);
  summary = server_dup_summary (fixture->base);
  g_assert_cmpstr (summary, ==, expected);
  g_clear_pointer (&summary, g_free);
  summary = server_dup_summary (fixture->base + 1);
  g_assert_cmpstr (summary, ==, "Updated material of VSAA: Pensija");

  kac_notifier_set_engine (fixture->notifier, NULL);
  g_signal_emit_by_name (engine, "notice-arrived", ID1, notice);
  g_assert_cmpuint (server_count (), ==, fixture->base + 2);
  kac_sync_engine_stop (engine);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GTestDBus) bus = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("LANGUAGE", "en", TRUE);

  bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (bus);
  server_start ();

  g_test_add ("/notifier/notices-once", Fixture, NULL, fixture_set_up, test_notices_once, fixture_tear_down);
  g_test_add ("/notifier/activate", Fixture, NULL, fixture_set_up, test_activate, fixture_tear_down);
  g_test_add ("/notifier/materials", Fixture, NULL, fixture_set_up, test_materials, fixture_tear_down);
  g_test_add ("/notifier/disabled", Fixture, NULL, fixture_set_up, test_disabled, fixture_tear_down);
  g_test_add ("/notifier/engine-signals", Fixture, NULL, fixture_set_up, test_engine_signals, fixture_tear_down);

  status = g_test_run ();

  server_stop ();
  /* libnotify keeps its proxy (and so the bus connection) until it is uninitialised. */
  notify_uninit ();
  g_test_dbus_down (bus);
  return status;
}
