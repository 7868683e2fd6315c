/* kac-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The desk's main window: the register and queue pages, toasts, and — when the store cannot be
 * opened — an explanation in place of the pages, so that nothing is ever written over a store
 * that failed to open.
 */
#define G_LOG_DOMAIN "kac-window"

#include "config.h"

#include "kac-window.h"
#include "kac-window-private.h"

#include <glib/gi18n.h>

#include "kac-application.h"
#include "kac-demo-badge.h"
#include "kac-desk-resources.h"
#include "kac-materials-page.h"
#include "kac-notices-page.h"
#include "kac-queue-page.h"
#include "kac-register-page.h"
#include "kac-sign-in-dialog.h"
#include "kac-stats-page.h"
#include "kac-sync-indicator.h"

struct _KacWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkLabel             *damaged_label;
  GtkRevealer          *damaged_revealer;
  KacDemoBadge         *demo_badge;
  GtkStack             *main_stack;
  KacMaterialsPage     *materials_page;
  KacNoticesPage       *notices_page;
  KacQueuePage         *queue_page;
  AdwViewStackPage     *queue_stack_page;
  KacRegisterPage      *register_page;
  AdwViewStackPage     *register_stack_page;
  GtkButton            *set_aside_button;
  GtkRevealer          *setup_revealer;
  KacStatsPage         *stats_page;
  AdwStatusPage        *store_error_page;
  AdwViewSwitcherBar   *switcher_bar;
  AdwViewSwitcherTitle *switcher_title;
  KacSyncIndicator     *sync_indicator;
  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *view_stack;

  GSettings            *settings;
  KacStore             *store;
  KacCatalog           *catalog;
  AdwToast             *last_toast;
  /* The engine whose pulls refresh the materials and notices (weak). */
  KacSyncEngine        *engine;
  /* The sign-in dialog while it is open (a weak pointer): never two at once. */
  KacSignInDialog      *sign_in_dialog;
  /* The toasts on screen or waiting, each until its "dismissed": none is dismissed twice,
   * which libadwaita 1.2 does not survive. */
  GPtrArray            *live_toasts;
};

G_DEFINE_FINAL_TYPE (KacWindow, kac_window, ADW_TYPE_APPLICATION_WINDOW)

/* Helpers */

static void
update_setup_hint (KacWindow *self)
{
  g_autofree char *centre_id = g_settings_get_string (self->settings, "centre-id");
  g_autofree char *clerk = g_settings_get_string (self->settings, "clerk-name");
  g_autofree char *centre_name = g_settings_get_string (self->settings, "centre-name");
  gboolean missing = *g_strstrip (centre_id) == '\0' || *g_strstrip (clerk) == '\0';

  gtk_revealer_set_reveal_child (self->setup_revealer, missing && self->store != NULL);
  adw_view_switcher_title_set_subtitle (self->switcher_title, g_strstrip (centre_name));
}

static char *
describe_store_error (const GError *error)
{
  const char *advice;

  if (error == NULL)
    return g_strdup (_("The registrations file could not be opened."));

  if (error->domain != KAC_STORE_ERROR)
    advice = _("Close KAC Desk and start it again. If this message comes back, call your administrator.");
  else
    switch (error->code)
      {
      case KAC_STORE_ERROR_LOCKED:
        advice = _("KAC Desk is already open for this profile. Switch to that window, or close it and start KAC Desk again.");
        break;
      case KAC_STORE_ERROR_CORRUPT:
        advice = _("The file was left as it is, so that nothing in it is lost. To keep working, keep it aside with the button below: it gets a new name in the same folder and KAC Desk starts with an empty file. Registrations in the damaged file that were not sent yet are not in the new one: give the kept file to your administrator.");
        break;
      case KAC_STORE_ERROR_TOO_NEW:
        advice = _("A newer version of KAC Desk wrote this file. Use that version, or ask your administrator to update this one.");
        break;
      case KAC_STORE_ERROR_OPEN:
        advice = _("Nothing was created or overwritten. Once the folder can be written to, start KAC Desk again.");
        break;
      default:
        advice = _("Nothing was changed. Close KAC Desk and start it again; if this message comes back, call your administrator.");
        break;
      }

  return g_strdup_printf ("%s\n\n%s", error->message, advice);
}

static void
update_stats_session (KacWindow *self)
{
  g_autofree char *centre_id = g_settings_get_string (self->settings, "centre-id");
  g_autofree char *centre_name = g_settings_get_string (self->settings, "centre-name");
  g_autofree char *role = g_settings_get_string (self->settings, "role");

  kac_stats_page_set_centre (self->stats_page, centre_id, centre_name);
  kac_stats_page_set_role (self->stats_page, role);
}

static void
records_changed_cb (KacWindow *self)
{
  kac_stats_page_queue_refresh (self->stats_page);
}

static void
apply_store (KacWindow    *self,
             KacStore     *store,
             const GError *store_error,
             KacCatalog   *catalog)
{
  g_set_object (&self->store, store);
  g_set_object (&self->catalog, catalog);

  if (store == NULL)
    {
      g_autofree char *description = describe_store_error (store_error);

      adw_status_page_set_description (self->store_error_page, description);
      /* Only a damaged file may be kept aside: a locked, newer or unreachable one is fine. */
      gtk_widget_set_visible (GTK_WIDGET (self->set_aside_button),
                              KAC_IS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))
                              && g_error_matches (store_error, KAC_STORE_ERROR, KAC_STORE_ERROR_CORRUPT));
      gtk_stack_set_visible_child_name (self->main_stack, "store-error");
      adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->switcher_bar), FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "window.show-page", FALSE);
    }
  else
    {
      kac_queue_page_set_store (self->queue_page, store);
      kac_materials_page_set_store (self->materials_page, store);
      kac_notices_page_set_store (self->notices_page, store);
      kac_stats_page_set_catalog (self->stats_page, catalog);
      kac_stats_page_set_store (self->stats_page, store);
      /* A save, a correction, a withdrawal or an answer of the central system changes this
       * terminal's figures (the whole centre's are fetched only when asked for). */
      g_signal_connect_object (kac_store_get_records (store), "items-changed",
                               G_CALLBACK (records_changed_cb), self, G_CONNECT_SWAPPED);
      g_object_bind_property (store, "n-queued", self->queue_stack_page, "badge-number",
                              G_BINDING_SYNC_CREATE);
      gtk_stack_set_visible_child_name (self->main_stack, "views");
    }

  kac_register_page_setup (self->register_page, store, catalog, self->settings);
  update_setup_hint (self);
}

static void
show_sign_in (KacWindow  *self,
              const char *reason)
{
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));

  if (self->store == NULL || !KAC_IS_APPLICATION (application))
    return;

  if (self->sign_in_dialog == NULL)
    {
      self->sign_in_dialog = kac_sign_in_dialog_new (GTK_WINDOW (self), KAC_APPLICATION (application));
      g_object_add_weak_pointer (G_OBJECT (self->sign_in_dialog), (gpointer *) &self->sign_in_dialog);
    }
  if (reason != NULL)
    kac_sign_in_dialog_set_reason (self->sign_in_dialog, reason);
  gtk_window_present (GTK_WINDOW (self->sign_in_dialog));
}

/* Callbacks */

/* Every pull that changed a feed, also the silent first fill of a new desk. */
static void
feed_changed_cb (KacWindow  *self,
                 const char *feed)
{
  if (g_strcmp0 (feed, "materials") == 0)
    kac_materials_page_refresh (self->materials_page);
  else
    {
      kac_notices_page_refresh (self->notices_page);
      kac_register_page_update_presence (self->register_page);
    }
}

/* A new engine (sign-in to another server) brings its own pulls. */
static void
sync_engine_changed_cb (KacWindow      *self,
                        GParamSpec     *pspec,
                        KacApplication *application)
{
  KacSyncEngine *engine = kac_application_get_sync_engine (application);

  if (self->engine == engine)
    return;
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_set_weak_pointer (&self->engine, engine);
  kac_stats_page_set_sync_engine (self->stats_page, engine);
  if (engine != NULL)
    g_signal_connect_object (engine, "feed-changed",
                             G_CALLBACK (feed_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
sign_in_needed_cb (KacWindow      *self,
                   KacApplication *application)
{
  KacSyncEngine *engine = kac_application_get_sync_engine (application);
  const char *reason;

  /* Once per change: the engine says it only when it enters the state (or the clerk asked to
   * send); a dialog already open is not opened again. Dismissing it keeps the desk working
   * offline. */
  if (self->sign_in_dialog != NULL)
    return;

  if (engine != NULL && kac_sync_engine_get_token (engine) != NULL)
    reason = _("The central system no longer accepts your sign-in: it expired or was revoked. Sign in again to send the registrations that wait; none of them is lost.");
  else
    reason = _("Sign in to send the registrations that wait. Until then they stay saved on this computer.");
  show_sign_in (self, reason);
}

static void
settings_changed_cb (KacWindow  *self,
                     const char *key,
                     GSettings  *settings)
{
  update_setup_hint (self);
  if (g_strcmp0 (key, "centre-id") == 0 || g_strcmp0 (key, "centre-name") == 0
      || g_strcmp0 (key, "role") == 0)
    update_stats_session (self);
}

static void
record_saved_cb (KacWindow       *self,
                 KacRecord       *record,
                 gboolean         corrected,
                 KacRegisterPage *page)
{
  AdwToast *toast;

  if (corrected)
    {
      toast = adw_toast_new (_("Correction saved"));
      adw_view_stack_set_visible_child_name (self->view_stack, "queue");
    }
  else
    {
      toast = adw_toast_new (_("Registration saved"));
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "window.undo-save");
      adw_toast_set_action_target (toast, "s", kac_record_get_uuid (record));
    }
  kac_window_show_toast (self, toast);
}

static void
open_record_cb (KacWindow    *self,
                KacRecord    *record,
                KacQueuePage *page)
{
  adw_view_stack_set_visible_child_name (self->view_stack, "register");
  kac_register_page_edit_record (self->register_page, record);
}

static void
toast_dismissed_cb (KacWindow *self,
                    AdwToast  *toast)
{
  if (self->live_toasts != NULL)
    g_ptr_array_remove (self->live_toasts, toast);
}

/* Actions */

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  KacWindow *self = KAC_WINDOW (widget);
  const char *name = g_variant_get_string (param, NULL);

  if (self->store == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, name);
  if (g_strcmp0 (name, "register") == 0)
    kac_register_page_focus_first (self->register_page);
}

static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  KacWindow *self = KAC_WINDOW (widget);

  kac_window_show_toast (self, adw_toast_new (g_variant_get_string (param, NULL)));
}

static void
undo_save_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  KacWindow *self = KAC_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  if (self->store == NULL)
    return;

  if (kac_store_withdraw_record (self->store, g_variant_get_string (param, NULL), &error))
    toast = adw_toast_new (_("Registration withdrawn"));
  else
    {
      /* Translators: %s says why, e.g. that the record was sent already. */
      toast = adw_toast_new_format (_("Could not undo: %s"), error->message);
      adw_toast_set_timeout (toast, 0);
    }
  kac_window_show_toast (self, toast);
}

/* GObject overrides */

static gboolean
kac_window_close_request (GtkWindow *window)
{
  KacWindow *self = KAC_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (kac_window_parent_class)->close_request (window);
}

static void
kac_window_dispose (GObject *object)
{
  KacWindow *self = KAC_WINDOW (object);

  if (self->sign_in_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->sign_in_dialog), (gpointer *) &self->sign_in_dialog);
      gtk_window_destroy (GTK_WINDOW (self->sign_in_dialog));
      self->sign_in_dialog = NULL;
    }

  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  g_clear_weak_pointer (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_WINDOW);
  g_clear_pointer (&self->live_toasts, g_ptr_array_unref);
  g_clear_object (&self->last_toast);
  g_clear_object (&self->store);
  g_clear_object (&self->catalog);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kac_window_parent_class)->dispose (object);
}

/* The clerk keeps a damaged store aside to go on working (KacApplication does it and replaces
 * this window); a failure is said here, and nothing was moved. */
static void
set_aside_store_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *param)
{
  KacWindow *self = KAC_WINDOW (widget);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(KacWindow) keep = g_object_ref (self);

  if (!KAC_IS_APPLICATION (application))
    return;
  if (!kac_application_set_aside_damaged_store (KAC_APPLICATION (application), &error))
    {
      AdwToast *toast = adw_toast_new (error->message);

      adw_toast_set_timeout (toast, 0);
      kac_window_show_toast (self, toast);
    }
}

static void
kac_window_class_init (KacWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = kac_window_dispose;
  window_class->close_request = kac_window_close_request;

  /* The GUI is a static library: referring to the resource keeps its object file (and the
   * constructor that registers it) in every program that uses the window. */
  (void) kac_desk_get_resource ();

  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KacWindow, damaged_label);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, damaged_revealer);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, demo_badge);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, materials_page);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, notices_page);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, queue_page);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, queue_stack_page);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, register_page);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, register_stack_page);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, set_aside_button);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, setup_revealer);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, stats_page);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, store_error_page);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, sync_indicator);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, KacWindow, view_stack);

  gtk_widget_class_install_action (widget_class, "window.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "window.show-toast", "s", show_toast_action);
  gtk_widget_class_install_action (widget_class, "window.set-aside-store", NULL, set_aside_store_action);
  gtk_widget_class_install_action (widget_class, "window.undo-save", "s", undo_save_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "window.show-page", "s", "register");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_1, GDK_ALT_MASK,
                                       "window.show-page", "s", "register");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "window.show-page", "s", "queue");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_2, GDK_ALT_MASK,
                                       "window.show-page", "s", "queue");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "window.show-page", "s", "materials");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_3, GDK_ALT_MASK,
                                       "window.show-page", "s", "materials");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK,
                                       "window.show-page", "s", "notices");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_4, GDK_ALT_MASK,
                                       "window.show-page", "s", "notices");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK,
                                       "window.show-page", "s", "statistics");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_5, GDK_ALT_MASK,
                                       "window.show-page", "s", "statistics");
}

static void
kac_window_init (KacWindow *self)
{
  g_type_ensure (KAC_TYPE_DEMO_BADGE);
  g_type_ensure (KAC_TYPE_MATERIALS_PAGE);
  g_type_ensure (KAC_TYPE_NOTICES_PAGE);
  g_type_ensure (KAC_TYPE_QUEUE_PAGE);
  g_type_ensure (KAC_TYPE_REGISTER_PAGE);
  g_type_ensure (KAC_TYPE_STATS_PAGE);
  g_type_ensure (KAC_TYPE_SYNC_INDICATOR);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->live_toasts = g_ptr_array_new ();

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  update_stats_session (self);
  g_signal_connect_object (self->register_page, "saved",
                           G_CALLBACK (record_saved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue_page, "open-record",
                           G_CALLBACK (open_record_cb), self, G_CONNECT_SWAPPED);
}

/* Public API */

KacWindow *
kac_window_new (GtkApplication *application,
                KacStore       *store,
                const GError   *store_error,
                KacCatalog     *catalog)
{
  KacWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (store == NULL || KAC_IS_STORE (store), NULL);
  g_return_val_if_fail (KAC_IS_CATALOG (catalog), NULL);

  self = g_object_new (KAC_TYPE_WINDOW,
                       "application", application,
                       NULL);
  apply_store (self, store, store_error, catalog);

  if (KAC_IS_APPLICATION (application))
    {
      g_object_bind_property (application, "sync-engine", self->sync_indicator, "engine",
                              G_BINDING_SYNC_CREATE);
      g_object_bind_property (application, "restoring-sign-in", self->sync_indicator, "restoring-sign-in",
                              G_BINDING_SYNC_CREATE);
      g_signal_connect_object (application, "sign-in-needed",
                               G_CALLBACK (sign_in_needed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (application, "notify::sync-engine",
                               G_CALLBACK (sync_engine_changed_cb), self, G_CONNECT_SWAPPED);
      sync_engine_changed_cb (self, NULL, KAC_APPLICATION (application));
      /* Said for the rest of the run, in every window: the clerk must hand the file on. */
      if (store != NULL && kac_application_get_damaged_store_path (KAC_APPLICATION (application)) != NULL)
        {
          g_autofree char *notice = NULL;

          /* Translators: %s is the full name of the kept file. */
          notice = g_strdup_printf (_("The registrations file was damaged and has been kept aside as %s. KAC Desk started with an empty one. Registrations in the damaged file that were not sent may be missing: give that file to your administrator."),
                                    kac_application_get_damaged_store_path (KAC_APPLICATION (application)));
          gtk_label_set_label (self->damaged_label, notice);
          gtk_revealer_set_reveal_child (self->damaged_revealer, TRUE);
        }
      /* Nobody may take a demonstration for a centre's real work. */
      if (kac_application_get_demo_mode (KAC_APPLICATION (application)))
        {
          gtk_window_set_title (GTK_WINDOW (self), _("KAC Desk — Demo"));
          adw_view_switcher_title_set_title (self->switcher_title, _("KAC Desk — Demo"));
          gtk_widget_set_visible (GTK_WIDGET (self->demo_badge), TRUE);
        }
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->sync_indicator), FALSE);

  return self;
}

void
kac_window_show_sign_in (KacWindow *self)
{
  g_return_if_fail (KAC_IS_WINDOW (self));

  show_sign_in (self, NULL);
}

void
kac_window_show_toast (KacWindow *self,
                       AdwToast  *toast)
{
  g_return_if_fail (KAC_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  g_set_object (&self->last_toast, toast);
  g_ptr_array_add (self->live_toasts, toast);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
kac_window_show_notice (KacWindow  *self,
                        const char *id)
{
  g_return_if_fail (KAC_IS_WINDOW (self));
  g_return_if_fail (id != NULL);

  if (self->store == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "notices");
  kac_notices_page_show_notice (self->notices_page, id);
}

void
kac_window_show_material (KacWindow  *self,
                          const char *id)
{
  g_return_if_fail (KAC_IS_WINDOW (self));
  g_return_if_fail (id != NULL);

  if (self->store == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, "materials");
  kac_materials_page_refresh (self->materials_page);
  kac_materials_page_open_material (self->materials_page, id);
}

KacSignInDialog *
_kac_window_get_sign_in_dialog (KacWindow *self)
{
  g_return_val_if_fail (KAC_IS_WINDOW (self), NULL);

  return self->sign_in_dialog;
}

AdwToast *
_kac_window_get_last_toast (KacWindow *self)
{
  g_return_val_if_fail (KAC_IS_WINDOW (self), NULL);

  return self->last_toast;
}

void
_kac_window_dismiss_toast (KacWindow *self)
{
  g_return_if_fail (KAC_IS_WINDOW (self));

  /* Waiting ones first, so that none is shown only to be taken away. */
  while (self->live_toasts->len > 0)
    {
      AdwToast *toast = g_ptr_array_steal_index (self->live_toasts, self->live_toasts->len - 1);

      adw_toast_dismiss (toast);
    }
}
