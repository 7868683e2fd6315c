/* kac-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * KAC Desk as a GApplication: one instance per profile (a second start presents the first
 * window), the store opened once at startup, the application-wide actions, and the sync
 * engine with the clerk's sign-in: created when the settings name a central system, given the
 * token that the keyring remembers (read asynchronously, so the window never waits for it),
 * stopped at shutdown.
 *
 * Demo mode (--demo, or "Start Demo…" in the menu, which starts a second process) is the same
 * desk with its own application id (APPLICATION_ID.Demo, so it never lands in a clerk's
 * running desk), its own profile folder (kac-desk-demo: registrations and the demo's central
 * store), settings kept in memory (the schema's path is fixed, so the clerk's settings would
 * otherwise change), an in-process kac-central (KacDemo) and a sign-in that stays in memory
 * instead of the keyring.
 */
#define G_LOG_DOMAIN "kac-application"

#include "config.h"

#include "kac-application.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "kac-demo-data.h"
#include "kac-notifier.h"
#include "kac-preferences-window.h"
#include "kac-token-store.h"
#include "kac-window.h"

struct _KacApplication
{
  AdwApplication  parent_instance;

  KacStore       *store;
  GError         *store_error;
  /* Where a damaged store was kept aside during this run (the window names it to the clerk). */
  char           *damaged_store_path;
  KacCatalog     *catalog;

  GSettings      *settings;
  KacSyncEngine  *sync_engine;
  GCancellable   *lookup_cancellable;
  KacNotifier    *notifier;
  gboolean        restoring_sign_in;
  /* > 0 while the desk itself takes the token away (sign-out, another server): the engine's
   * "auth-needed" is then expected and must not ask the clerk to sign in. */
  guint           quiet;

  gboolean        demo_mode;
  KacDemo        *demo;
  guint           reset_timeout;
  guint           retention_timeout;
};

G_DEFINE_FINAL_TYPE (KacApplication, kac_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_SYNC_ENGINE,
  PROP_RESTORING_SIGN_IN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGN_IN_NEEDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static const char *
get_profile_dir_name (KacApplication *self)
{
  /* A developer's or trainer's registrations never mix with a clerk's. */
  if (self->demo_mode)
    return "kac-desk-demo";
  return g_strcmp0 (PROFILE, "development") == 0 ? "kac-desk-devel" : "kac-desk";
}

static void
open_store (KacApplication *self)
{
  g_autofree char *path = kac_store_dup_default_path (get_profile_dir_name (self));
  g_autoptr(GHashTable) usage = NULL;
  g_autoptr(GError) error = NULL;
  gboolean is_new = !g_file_test (path, G_FILE_TEST_EXISTS);

  if (self->catalog == NULL)
    self->catalog = kac_catalog_new_sample ();
  g_clear_error (&self->store_error);
  self->store = kac_store_open (path, &self->store_error);
  if (self->store == NULL)
    {
      g_warning ("Cannot open the store: %s", self->store_error->message);
      return;
    }

  /* A new demo profile starts with this terminal's morning, waiting to be sent. */
  if (self->demo_mode && is_new)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (kac_demo_data_seed_desk (self->store, self->catalog, now, &error) < 0)
        {
          g_warning ("Cannot seed the demo registrations: %s", error->message);
          g_clear_error (&error);
        }
    }

  usage = kac_store_dup_service_usage (self->store, &error);
  if (usage != NULL)
    kac_catalog_set_usage (self->catalog, usage);
  else
    g_debug ("No service usage: %s", error->message);
}

static char *
dup_setting (KacApplication *self,
             const char     *key)
{
  char *value = g_settings_get_string (self->settings, key);

  return g_strstrip (value);
}

/* Tells the active window, as a toast. */
static void
show_message (KacApplication *self,
              const char     *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (KAC_IS_WINDOW (window))
    {
      AdwToast *toast = adw_toast_new (message);

      /* These say that something must be done again later: they stay until dismissed. */
      adw_toast_set_timeout (toast, 0);
      kac_window_show_toast (KAC_WINDOW (window), toast);
    }
  else
    g_message ("%s", message);
}

static void
set_restoring_sign_in (KacApplication *self,
                       gboolean        restoring)
{
  if (self->restoring_sign_in == restoring)
    return;

  self->restoring_sign_in = restoring;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESTORING_SIGN_IN]);
}

static void
cancel_lookup (KacApplication *self)
{
  g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  set_restoring_sign_in (self, FALSE);
}

static void
update_actions (KacApplication *self)
{
  GAction *action;
  gboolean has_engine = self->sync_engine != NULL;
  gboolean has_token = has_engine && kac_sync_engine_get_token (self->sync_engine) != NULL;
  gboolean refused = has_engine && kac_sync_engine_get_state (self->sync_engine) == KAC_SYNC_STATE_AUTH_NEEDED;

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-in");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), self->store != NULL && (!has_token || refused));
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_token);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sync-now");
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), has_engine);
}

static void
lookup_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(KacApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = kac_token_store_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->lookup_cancellable);

  if (error != NULL)
    /* Never the token; the message is libsecret's (no keyring, locked, …). */
    g_message ("The remembered sign-in could not be read from the keyring: %s", error->message);
  else if (token != NULL && self->sync_engine != NULL)
    kac_sync_engine_set_token (self->sync_engine, token);

  set_restoring_sign_in (self, FALSE);
}

/* Reads the token remembered for the configured server and user, without blocking. */
static void
restore_sign_in (KacApplication *self)
{
  g_autofree char *server = dup_setting (self, "server-url");
  g_autofree char *username = dup_setting (self, "username");

  cancel_lookup (self);
  /* The demo's sign-in lives in memory only. */
  if (self->sync_engine == NULL || *username == '\0' || self->demo_mode)
    return;

  self->lookup_cancellable = g_cancellable_new ();
  set_restoring_sign_in (self, TRUE);
  kac_token_store_lookup_async (server, username, self->lookup_cancellable,
                                lookup_token_cb, g_object_ref (self));
}

static void
engine_auth_needed_cb (KacApplication *self,
                       KacSyncEngine  *engine)
{
  update_actions (self);
  if (self->quiet == 0)
    g_signal_emit (self, signals[SIGN_IN_NEEDED], 0);
}

static void
engine_changed_cb (KacApplication *self,
                   GParamSpec     *pspec,
                   KacSyncEngine  *engine)
{
  update_actions (self);
}

/* Makes the engine follow the settings: none without a server address, else one for the
 * store with the address and the CA file. With @restore, a change of server reads the token
 * remembered for it. */
static void
update_sync_engine (KacApplication *self,
                    gboolean        restore)
{
  g_autofree char *server = dup_setting (self, "server-url");
  g_autofree char *ca_file = dup_setting (self, "ca-file");
  gboolean created = FALSE;
  gboolean server_changed = FALSE;

  if (self->store == NULL || *server == '\0')
    {
      cancel_lookup (self);
      if (self->sync_engine != NULL)
        {
          kac_sync_engine_stop (self->sync_engine);
          g_signal_handlers_disconnect_by_data (self->sync_engine, self);
          if (self->notifier != NULL)
            kac_notifier_set_engine (self->notifier, NULL);
          g_clear_object (&self->sync_engine);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
        }
      update_actions (self);
      return;
    }

  if (self->sync_engine == NULL)
    {
      self->sync_engine = kac_sync_engine_new (self->store);
      g_signal_connect_object (self->sync_engine, "auth-needed",
                               G_CALLBACK (engine_auth_needed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sync_engine, "notify::token",
                               G_CALLBACK (engine_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->sync_engine, "notify::state",
                               G_CALLBACK (engine_changed_cb), self, G_CONNECT_SWAPPED);
      if (self->notifier != NULL)
        kac_notifier_set_engine (self->notifier, self->sync_engine);
      created = TRUE;
    }

  self->quiet++;
  if (g_strcmp0 (kac_sync_engine_get_server_uri (self->sync_engine), server) != 0)
    {
      /* A token is good for the server that issued it only. */
      server_changed = TRUE;
      kac_sync_engine_set_token (self->sync_engine, NULL);
      kac_sync_engine_set_server_uri (self->sync_engine, server);
    }
  if (g_strcmp0 (kac_sync_engine_get_ca_file (self->sync_engine), *ca_file != '\0' ? ca_file : NULL) != 0)
    kac_sync_engine_set_ca_file (self->sync_engine, *ca_file != '\0' ? ca_file : NULL);
  self->quiet--;

  if (created)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
  update_actions (self);

  if (server_changed && restore)
    restore_sign_in (self);
}

/* Personal data is kept on the terminal no longer than the retention (DOMAIN.md): at start-up,
 * once a day and when the retention is changed. */
static gboolean
forget_personal_data_cb (gpointer user_data)
{
  KacApplication *self = user_data;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GError) error = NULL;
  gint64 forgotten;

  if (self->store == NULL || self->settings == NULL)
    return G_SOURCE_CONTINUE;

  now = g_date_time_new_now_utc ();
  forgotten = kac_store_forget_personal_data (self->store, now,
                                              g_settings_get_uint (self->settings,
                                                                   "personal-data-retention-days"),
                                              &error);
  if (forgotten < 0)
    g_warning ("Clients’ personal data past the retention could not be removed: %s", error->message);
  else if (forgotten > 0)
    g_debug ("Removed the client data of %" G_GINT64_FORMAT " registrations past the retention",
             forgotten);

  return G_SOURCE_CONTINUE;
}

static void
settings_changed_cb (KacApplication *self,
                     const char     *key,
                     GSettings      *settings)
{
  if (g_strcmp0 (key, "server-url") == 0 || g_strcmp0 (key, "ca-file") == 0)
    update_sync_engine (self, TRUE);
  else if (g_strcmp0 (key, "personal-data-retention-days") == 0)
    forget_personal_data_cb (self);
}

static void
save_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(KacApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kac_token_store_save_finish (result, &error))
    {
      g_autofree char *message = NULL;

      g_message ("The sign-in could not be kept in the keyring: %s", error->message);
      /* Translators: %s is the keyring's explanation. */
      message = g_strdup_printf (_("Signed in, but the keyring could not remember it (%s). After KAC Desk is restarted you will have to sign in again."),
                                 error->message);
      show_message (self, message);
    }
}

static void
clear_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(KacApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!kac_token_store_clear_finish (result, &error))
    {
      g_autofree char *message = NULL;

      g_message ("The sign-in could not be removed from the keyring: %s", error->message);
      /* Translators: %s is the keyring's explanation. */
      message = g_strdup_printf (_("Signed out, but the keyring could not forget the sign-in (%s). Remove “KAC Desk” from the keyring with the Passwords and Keys application."),
                                 error->message);
      show_message (self, message);
    }
}

/* Demo mode */

static void store_released_cb (gpointer  user_data,
                               GObject  *where_the_store_was);

/* Points the desk at the demo's central system and signs it in as the demo clerk, with a
 * token that stays in memory. */
static void
connect_demo (KacApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  if (self->store == NULL || kac_demo_get_uri (self->demo) == NULL)
    return;

  g_settings_delay (self->settings);
  g_settings_set_string (self->settings, "server-url", kac_demo_get_uri (self->demo));
  g_settings_set_string (self->settings, "ca-file", "");
  g_settings_set_string (self->settings, "username", KAC_DEMO_CLERK);
  g_settings_set_string (self->settings, "centre-id", KAC_DEMO_CENTRE_ID);
  g_settings_set_string (self->settings, "centre-name", kac_demo_data_get_centre_name ());
  g_settings_set_string (self->settings, "centre-kind", "regional");
  g_settings_set_string (self->settings, "clerk-name", KAC_DEMO_CLERK);
  g_settings_apply (self->settings);
  update_sync_engine (self, FALSE);

  token = kac_demo_issue_token (self->demo, KAC_DEMO_CLERK, &error);
  if (token == NULL)
    g_warning ("The demo cannot sign in: %s", error->message);
  else if (self->sync_engine != NULL)
    kac_sync_engine_set_token (self->sync_engine, token);
  update_actions (self);
}

static void
start_demo (KacApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), get_profile_dir_name (self), NULL);

  self->demo = kac_demo_new (dir, self->catalog);
  if (!kac_demo_start (self->demo, &error))
    {
      /* The desk still works: registrations are saved and wait. */
      g_warning ("The demo's central system cannot start: %s", error->message);
      return;
    }

  connect_demo (self);
}

static void
drop_sync_engine (KacApplication *self)
{
  cancel_lookup (self);
  if (self->sync_engine == NULL)
    return;

  kac_sync_engine_stop (self->sync_engine);
  g_signal_handlers_disconnect_by_data (self->sync_engine, self);
  if (self->notifier != NULL)
    kac_notifier_set_engine (self->notifier, NULL);
  g_clear_object (&self->sync_engine);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNC_ENGINE]);
}

/* Both stores from scratch, second half: runs once the old desk store is gone (its file lock
 * with it), or after a few seconds when something still holds it. */
static void
finish_reset (KacApplication *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = kac_store_dup_default_path (get_profile_dir_name (self));
  GAction *action;

  g_clear_handle_id (&self->reset_timeout, g_source_remove);
  if (self->store != NULL)
    {
      /* Still alive after the timeout: not ours any more (reset_demo dropped our reference),
       * and opening the profile again will say that it is in use. */
      g_object_weak_unref (G_OBJECT (self->store), (GWeakNotify) store_released_cb, self);
      self->store = NULL;
    }

  if (!kac_demo_delete_database (path, &error) || !kac_demo_reset (self->demo, &error))
    g_warning ("The demo data cannot be reset: %s", error->message);

  open_store (self);
  connect_demo (self);

  action = g_action_map_lookup_action (G_ACTION_MAP (self), "demo-outage");
  if (action != NULL)
    g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (FALSE));

  g_application_activate (G_APPLICATION (self));
  g_application_release (G_APPLICATION (self));

  if (error == NULL && self->store != NULL)
    show_message (self, _("The demo data was reset."));
  else
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the system's explanation. */
      message = g_strdup_printf (_("The demo data could not be reset (%s). Close the demo and start it again."),
                                 error != NULL ? error->message : self->store_error->message);
      show_message (self, message);
    }
}

static gboolean
reset_timeout_cb (gpointer user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);

  self->reset_timeout = 0;
  if (self->store != NULL)
    g_warning ("The demo's registrations are still in use; resetting anyway");
  finish_reset (self);

  return G_SOURCE_REMOVE;
}

static void
store_released_cb (gpointer  user_data,
                   GObject  *where_the_store_was)
{
  KacApplication *self = KAC_APPLICATION (user_data);

  /* Weak references are told before the store's finalize closes the file and its lock: go
   * on from the main loop, right after. */
  self->store = NULL;
  g_clear_handle_id (&self->reset_timeout, g_source_remove);
  self->reset_timeout = g_idle_add (reset_timeout_cb, self);
}

/* Both stores from scratch: every window closes (they hold the old store), the engine goes,
 * and when the store is released its files are deleted, the demo seeds both stores again and
 * a new window opens. Windows and their pages let go of the store over a few main loop
 * iterations, hence the weak reference. */
static void
reset_demo (KacApplication *self)
{
  GList *windows;
  KacStore *store;

  if (self->reset_timeout != 0)
    return;

  g_application_hold (G_APPLICATION (self));

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));

  drop_sync_engine (self);
  if (self->store == NULL)
    {
      finish_reset (self);
      return;
    }

  /* Kept as a plain pointer, not a reference, until it is finalized. */
  store = self->store;
  g_object_weak_ref (G_OBJECT (store), (GWeakNotify) store_released_cb, self);
  self->reset_timeout = g_timeout_add_seconds (5, reset_timeout_cb, self);
  g_object_unref (store);
}

static gboolean
reset_idle_cb (gpointer user_data)
{
  reset_demo (KAC_APPLICATION (user_data));

  return G_SOURCE_REMOVE;
}

static void
reset_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   gpointer          user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);

  /* After the dialog has closed: the reset destroys the window it belongs to. */
  if (g_strcmp0 (response, "reset") == 0)
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, reset_idle_cb, g_object_ref (self), g_object_unref);
}

/* Actions */

static void
demo_outage_change_state (GSimpleAction *action,
                          GVariant      *state,
                          gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);
  g_autoptr(GError) error = NULL;
  gboolean outage = g_variant_get_boolean (state);

  if (self->demo == NULL)
    return;

  if (!kac_demo_set_outage (self->demo, outage, &error))
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the system's explanation. */
      message = g_strdup_printf (_("The demo's central system could not be started again (%s). Close the demo and start it again."),
                                 error->message);
      show_message (self, message);
      return;
    }
  g_simple_action_set_state (action, state);

  /* The desk finds out at once instead of at its next attempt: offline with the switch on;
   * with it off, what waits goes now, before the trainer's eyes. */
  if (self->sync_engine != NULL)
    kac_sync_engine_sync_now (self->sync_engine);
}

static void
demo_reset_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (window, _("Reset Demo Data?"),
                                   _("The registrations made in this demo are deleted and the demo starts again with its fictional week. A centre's real data is not touched."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "reset", _("_Reset"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "reset",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (reset_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
start_demo_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;

  /* A process of its own (another application id and profile): the clerk's desk, its store
   * and its settings stay as they are. A running demo is presented instead of a second one. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "/proc/self/exe", "--demo", NULL);
  if (process == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the system's explanation. */
      message = g_strdup_printf (_("The demo could not be started: %s"), error->message);
      show_message (self, message);
    }
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Close rather than quit at once, so that each window saves its size. */
  for (GList *l = g_list_copy (windows), *next; l != NULL; l = next)
    {
      next = l->next;
      gtk_window_close (GTK_WINDOW (l->data));
      g_list_free_1 (l);
    }
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  KacPreferencesWindow *window;

  window = kac_preferences_window_new (gtk_application_get_active_window (app));
  gtk_window_present (GTK_WINDOW (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("KAC Desk"),
                        "application-icon", APPLICATION_ID,
                        "version", PACKAGE_VERSION,
                        "developer-name", _("The KAC Desk developers"),
                        "comments", _("Registers the work of a unified state and municipal client service centre, also without a network connection."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        /* Translators: your name(s), one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
sync_now_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);

  if (self->sync_engine != NULL)
    kac_sync_engine_sync_now (self->sync_engine);
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (KAC_IS_WINDOW (window))
    kac_window_show_sign_in (KAC_WINDOW (window));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);

  kac_application_sign_out (self);
  show_message (self, _("Signed out. Registrations are still saved here and wait until someone signs in."));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "preferences", preferences_action },
  { "about", about_action },
  { "sync-now", sync_now_action },
  { "sign-in", sign_in_action },
  { "sign-out", sign_out_action },
};

static const GActionEntry demo_actions[] = {
  { "demo-outage", NULL, NULL, "false", demo_outage_change_state },
  { "demo-reset", demo_reset_action },
};

static const GActionEntry normal_actions[] = {
  { "start-demo", start_demo_action },
};

/* Activating a desktop notification opens its item in the window. */
static void
show_item_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  KacApplication *self = KAC_APPLICATION (user_data);
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (!KAC_IS_WINDOW (window))
    return;

  if (g_strcmp0 (g_action_get_name (G_ACTION (action)), "show-notice") == 0)
    kac_window_show_notice (KAC_WINDOW (window), g_variant_get_string (param, NULL));
  else
    kac_window_show_material (KAC_WINDOW (window), g_variant_get_string (param, NULL));
}

static const GActionEntry item_actions[] = {
  { "show-notice", show_item_action, "s" },
  { "show-material", show_item_action, "s" },
};

/* GApplication overrides */

/* KAC_ICONDIR (set by tools/run and the tests) names data/icons of the source tree, so the
 * application icon shows in the About window and the window list when run from the build. */
static void
add_build_icons (void)
{
  const char *icondir = g_getenv ("KAC_ICONDIR");
  GtkIconTheme *theme;

  if (icondir == NULL || *icondir == '\0' || gdk_display_get_default () == NULL)
    return;

  theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *dir = g_build_filename (icondir, "hicolor", i == 0 ? "scalable" : "symbolic",
                                               "apps", NULL);

      gtk_icon_theme_add_search_path (theme, dir);
    }
}

static void
kac_application_startup (GApplication *application)
{
  KacApplication *self = KAC_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *sync_now_accels[] = { "<Control>r", NULL };

  G_APPLICATION_CLASS (kac_application_parent_class)->startup (application);

  add_build_icons ();
  /* The demo's own application id has no icon of its own. */
  gtk_window_set_default_icon_name (APPLICATION_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync-now",
                                         sync_now_accels);
  /* Only the actions of this mode exist, so the menu shows only its items. */
  if (self->demo_mode)
    g_action_map_add_action_entries (G_ACTION_MAP (self), demo_actions,
                                     G_N_ELEMENTS (demo_actions), self);
  else
    g_action_map_add_action_entries (G_ACTION_MAP (self), normal_actions,
                                     G_N_ELEMENTS (normal_actions), self);

  open_store (self);

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  g_action_map_add_action_entries (G_ACTION_MAP (self), item_actions,
                                   G_N_ELEMENTS (item_actions), self);
  self->notifier = kac_notifier_new (G_ACTION_GROUP (self), self->settings);
  forget_personal_data_cb (self);
  self->retention_timeout = g_timeout_add_seconds (24 * 60 * 60, forget_personal_data_cb, self);
  if (self->demo_mode)
    start_demo (self);
  update_sync_engine (self, FALSE);
  restore_sign_in (self);
}

static int
kac_application_handle_local_options (GApplication *application,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "demo"))
    kac_application_set_demo_mode (KAC_APPLICATION (application), TRUE);

  return -1;
}

static void
kac_application_activate (GApplication *application)
{
  KacApplication *self = KAC_APPLICATION (application);
  GtkWindow *window;

  /* A second start of KAC Desk lands here in the first process. */
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (kac_window_new (GTK_APPLICATION (self), self->store,
                                         self->store_error, self->catalog));

  gtk_window_present (window);
}

static void
kac_application_shutdown (GApplication *application)
{
  KacApplication *self = KAC_APPLICATION (application);

  /* Whatever is on its way goes back to the queue; nothing is lost. */
  cancel_lookup (self);
  if (self->sync_engine != NULL)
    {
      kac_sync_engine_stop (self->sync_engine);
      g_signal_handlers_disconnect_by_data (self->sync_engine, self);
    }

  g_clear_handle_id (&self->retention_timeout, g_source_remove);

  G_APPLICATION_CLASS (kac_application_parent_class)->shutdown (application);

  g_clear_object (&self->sync_engine);
  g_clear_object (&self->store);
  if (self->demo != NULL)
    kac_demo_stop (self->demo);
}

/* GObject overrides */

static void
kac_application_finalize (GObject *object)
{
  KacApplication *self = KAC_APPLICATION (object);

  g_clear_object (&self->lookup_cancellable);
  g_clear_object (&self->notifier);
  g_clear_object (&self->sync_engine);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_object (&self->demo);
  g_clear_handle_id (&self->reset_timeout, g_source_remove);
  g_clear_handle_id (&self->retention_timeout, g_source_remove);
  g_clear_error (&self->store_error);
  g_clear_pointer (&self->damaged_store_path, g_free);

  G_OBJECT_CLASS (kac_application_parent_class)->finalize (object);
}

static void
kac_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  KacApplication *self = KAC_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_SYNC_ENGINE:
      g_value_set_object (value, self->sync_engine);
      break;
    case PROP_RESTORING_SIGN_IN:
      g_value_set_boolean (value, self->restoring_sign_in);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
kac_application_class_init (KacApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = kac_application_finalize;
  object_class->get_property = kac_application_get_property;
  app_class->startup = kac_application_startup;
  app_class->activate = kac_application_activate;
  app_class->shutdown = kac_application_shutdown;
  app_class->handle_local_options = kac_application_handle_local_options;

  properties[PROP_SYNC_ENGINE] =
    g_param_spec_object ("sync-engine", NULL, NULL,
                         KAC_TYPE_SYNC_ENGINE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESTORING_SIGN_IN] =
    g_param_spec_boolean ("restoring-sign-in", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGN_IN_NEEDED] =
    g_signal_new ("sign-in-needed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
kac_application_init (KacApplication *self)
{
  g_application_add_main_option (G_APPLICATION (self), "demo", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Start a demonstration with fictional data and a central system of its own, apart from a centre’s real data"),
                                 NULL);
}

/* Public API */

KacApplication *
kac_application_new (void)
{
  /* One resource base path for both profiles: the .Devel id would otherwise look for the
   * style sheet and the shortcuts window under /lv/vpvkac/Desk/Devel/. */
  return g_object_new (KAC_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/lv/vpvkac/Desk",
                       NULL);
}

KacStore *
kac_application_get_store (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->store;
}

const GError *
kac_application_get_store_error (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->store_error;
}

KacCatalog *
kac_application_get_catalog (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->catalog;
}

KacSyncEngine *
kac_application_get_sync_engine (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->sync_engine;
}

gboolean
kac_application_get_restoring_sign_in (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), FALSE);

  return self->restoring_sign_in;
}

gboolean
kac_application_is_signed_in (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), FALSE);

  return self->sync_engine != NULL && kac_sync_engine_get_token (self->sync_engine) != NULL;
}

void
kac_application_apply_session (KacApplication *self,
                               const char     *server_uri,
                               KacWireSession *session)
{
  g_return_if_fail (KAC_IS_APPLICATION (self));
  g_return_if_fail (server_uri != NULL && *server_uri != '\0');
  g_return_if_fail (session != NULL && session->token != NULL && session->username != NULL);

  g_settings_set_string (self->settings, "server-url", server_uri);
  g_settings_set_string (self->settings, "username", session->username);
  g_settings_set_string (self->settings, "role", session->role != NULL ? session->role : "");
  /* The central system knows which centre the clerk works for; registrations must name it
   * or it refuses them. The user name is what it knows the clerk by. */
  if (session->centre_id != NULL)
    {
      KacCentreKind kind;

      g_settings_set_string (self->settings, "centre-id", session->centre_id);
      if (session->centre_name != NULL)
        g_settings_set_string (self->settings, "centre-name", session->centre_name);
      if (session->centre_kind != NULL && kac_centre_kind_from_string (session->centre_kind, &kind))
        g_settings_set_string (self->settings, "centre-kind", session->centre_kind);
      g_settings_set_string (self->settings, "clerk-name", session->username);
    }

  /* Not the remembered token of the old settings: the new one. */
  update_sync_engine (self, FALSE);
  cancel_lookup (self);
  if (self->sync_engine == NULL)
    return;

  /* The engine sends what waits at once. */
  kac_sync_engine_set_token (self->sync_engine, session->token);
  update_actions (self);

  if (self->demo_mode)
    return;
  kac_token_store_save_async (server_uri, session->username, session->token, NULL,
                              save_token_cb, g_object_ref (self));
}

void
kac_application_sign_out (KacApplication *self)
{
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;

  g_return_if_fail (KAC_IS_APPLICATION (self));

  cancel_lookup (self);
  if (self->sync_engine == NULL)
    return;

  self->quiet++;
  kac_sync_engine_set_token (self->sync_engine, NULL);
  self->quiet--;
  g_settings_set_string (self->settings, "role", "");
  update_actions (self);

  server = dup_setting (self, "server-url");
  username = dup_setting (self, "username");
  if (*username != '\0' && !self->demo_mode)
    kac_token_store_clear_async (server, username, NULL, clear_token_cb, g_object_ref (self));
}

void
kac_application_set_demo_mode (KacApplication *self,
                               gboolean        demo_mode)
{
  g_return_if_fail (KAC_IS_APPLICATION (self));
  g_return_if_fail (!g_application_get_is_registered (G_APPLICATION (self)));

  self->demo_mode = !!demo_mode;
  if (!self->demo_mode)
    return;

  g_application_set_application_id (G_APPLICATION (self), APPLICATION_ID ".Demo");
  /* The schema has one fixed path: the demo's settings (its server, centre, clerk) must not
   * land in the clerk's. The memory backend keeps them for this run only; nothing has read
   * a setting yet, so this is still the backend every GSettings of the process gets. */
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
}

gboolean
kac_application_get_demo_mode (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), FALSE);

  return self->demo_mode;
}

KacDemo *
kac_application_get_demo (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->demo;
}

/* Gives the files of the damaged store (@path and its -wal and -shm) new names next to them:
 * @path.damaged-YYYYMMDD-HHMMSS, with -2, -3… if that name is taken. Hard links, then unlinks,
 * so that an existing file is never replaced (rename() would replace it silently), and the
 * store's journal never meets a new database under the old name. Returns the new name. */
static char *
set_aside_files (const char  *path,
                 GError     **error)
{
  static const char *suffixes[] = { "", "-wal", "-shm" };
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint attempt = 1; attempt <= 100; attempt++)
    {
      g_autofree char *kept = NULL;
      guint linked = 0;
      int saved_errno = 0;
      gboolean taken = FALSE;

      if (attempt == 1)
        kept = g_strdup_printf ("%s.damaged-%s", path, stamp);
      else
        kept = g_strdup_printf ("%s.damaged-%s-%u", path, stamp, attempt);

      for (linked = 0; linked < G_N_ELEMENTS (suffixes); linked++)
        {
          g_autofree char *from = g_strconcat (path, suffixes[linked], NULL);
          g_autofree char *to = g_strconcat (kept, suffixes[linked], NULL);

          if (link (from, to) == 0)
            continue;
          saved_errno = errno;
          if (saved_errno == ENOENT && linked > 0)
            {
              saved_errno = 0;
              continue;
            }
          taken = saved_errno == EEXIST;
          break;
        }

      if (linked == G_N_ELEMENTS (suffixes))
        {
          /* Every file has its new name: the old names go, the journal first. */
          for (guint i = G_N_ELEMENTS (suffixes); i > 0; i--)
            {
              g_autofree char *from = g_strconcat (path, suffixes[i - 1], NULL);

              if (g_unlink (from) != 0 && errno != ENOENT)
                {
                  int unlink_errno = errno;

                  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (unlink_errno),
                               /* Translators: %s is a file name, then the system's explanation. */
                               _("The damaged file %s could not be moved aside: %s. Nothing was lost; call your administrator."),
                               from, g_strerror (unlink_errno));
                  return NULL;
                }
            }
          return g_steal_pointer (&kept);
        }

      /* Undo the links made so far: the files are still under their old names. */
      for (guint i = 0; i < linked; i++)
        {
          g_autofree char *to = g_strconcat (kept, suffixes[i], NULL);

          g_unlink (to);
        }
      if (!taken)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       /* Translators: %s is a file name, then the system's explanation. */
                       _("The damaged file %s could not be kept aside: %s. It was left as it is; call your administrator."),
                       path, g_strerror (saved_errno));
          return NULL;
        }
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
               /* Translators: %s is a file name. */
               _("The damaged file %s could not be kept aside: too many kept copies already. It was left as it is; call your administrator."),
               path);
  return NULL;
}

gboolean
kac_application_set_aside_damaged_store (KacApplication  *self,
                                         GError         **error)
{
  g_autofree char *path = NULL;
  g_autofree char *kept = NULL;
  GList *windows;

  g_return_val_if_fail (KAC_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  g_return_val_if_fail (self->store == NULL, FALSE);
  g_return_val_if_fail (g_error_matches (self->store_error, KAC_STORE_ERROR, KAC_STORE_ERROR_CORRUPT), FALSE);

  path = kac_store_dup_default_path (get_profile_dir_name (self));
  kept = set_aside_files (path, error);
  if (kept == NULL)
    return FALSE;

  g_message ("The damaged registrations file was kept aside as %s", kept);
  g_free (self->damaged_store_path);
  self->damaged_store_path = g_steal_pointer (&kept);

  open_store (self);
  if (self->store == NULL)
    {
      g_set_error_literal (error, self->store_error->domain, self->store_error->code,
                           self->store_error->message);
      return FALSE;
    }
  update_sync_engine (self, FALSE);
  restore_sign_in (self);

  /* The windows hold the failed state: a new one shows the pages and the kept file's name. */
  g_application_hold (G_APPLICATION (self));
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))) != NULL)
    gtk_window_destroy (GTK_WINDOW (windows->data));
  g_application_activate (G_APPLICATION (self));
  g_application_release (G_APPLICATION (self));

  return TRUE;
}

const char *
kac_application_get_damaged_store_path (KacApplication *self)
{
  g_return_val_if_fail (KAC_IS_APPLICATION (self), NULL);

  return self->damaged_store_path;
}
