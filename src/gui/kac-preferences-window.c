/* kac-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The terminal's settings: which centre it serves, who the clerk is, where the central system
 * is, and how new registrations start. Every row is bound to GSettings, so there is nothing to
 * forget to save; only the server address waits for its apply button, because each change of
 * it makes the desk connect somewhere else.
 */
#define G_LOG_DOMAIN "kac-preferences-window"

#include "config.h"

#include "kac-preferences-window.h"

#include <glib/gi18n.h>

#include "kac-sign-in-dialog.h"
#include "kac-types.h"

struct _KacPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwActionRow         *ca_file_row;
  GtkLabel             *central_error_label;
  AdwComboRow          *centre_kind_row;
  AdwEntryRow          *centre_id_row;
  AdwEntryRow          *centre_name_row;
  AdwEntryRow          *clerk_name_row;
  AdwComboRow          *default_channel_row;
  GtkSwitch            *notifications_switch;
  AdwEntryRow          *server_url_row;

  GSettings            *settings;
  GtkFileChooserNative *ca_chooser;
};

G_DEFINE_FINAL_TYPE (KacPreferencesWindow, kac_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Settings mappings: the schema stores enum nicks; the combo rows list enum values in order. */

static gboolean
centre_kind_get_mapping (GValue   *value,
                         GVariant *variant,
                         gpointer  user_data)
{
  KacCentreKind kind;

  if (!kac_centre_kind_from_string (g_variant_get_string (variant, NULL), &kind))
    return FALSE;
  g_value_set_uint (value, kind);

  return TRUE;
}

static GVariant *
centre_kind_set_mapping (const GValue       *value,
                         const GVariantType *expected_type,
                         gpointer            user_data)
{
  const char *nick = kac_centre_kind_to_string ((KacCentreKind) g_value_get_uint (value));

  return nick != NULL ? g_variant_new_string (nick) : NULL;
}

static gboolean
channel_get_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  KacChannel channel;

  if (!kac_channel_from_string (g_variant_get_string (variant, NULL), &channel))
    return FALSE;
  g_value_set_uint (value, channel);

  return TRUE;
}

static GVariant *
channel_set_mapping (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  const char *nick = kac_channel_to_string ((KacChannel) g_value_get_uint (value));

  return nick != NULL ? g_variant_new_string (nick) : NULL;
}

/* Central system */

/* Under the group, in full: these sentences are too long for a toast. NULL hides it. */
static void
show_central_error (KacPreferencesWindow *self,
                    const char           *message)
{
  gtk_label_set_label (self->central_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->central_error_label), message != NULL);
}

static void
mark_server_row (KacPreferencesWindow *self,
                 gboolean              invalid)
{
  if (invalid)
    gtk_widget_add_css_class (GTK_WIDGET (self->server_url_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->server_url_row), "error");
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->server_url_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               invalid ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
  if (invalid)
    gtk_accessible_update_relation (GTK_ACCESSIBLE (self->server_url_row),
                                    GTK_ACCESSIBLE_RELATION_ERROR_MESSAGE, self->central_error_label,
                                    -1);
}

static void
update_ca_file_row (KacPreferencesWindow *self)
{
  g_autofree char *path = g_strstrip (g_settings_get_string (self->settings, "ca-file"));

  adw_action_row_set_subtitle (self->ca_file_row,
                               *path != '\0' ? path : _("None: the system’s certificate authorities are trusted"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "preferences.clear-ca-file", *path != '\0');
}

static void
server_url_apply_cb (KacPreferencesWindow *self,
                     AdwEntryRow          *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *message = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  if (*stripped == '\0')
    {
      /* No central system: registrations stay here. */
      mark_server_row (self, FALSE);
      show_central_error (self, NULL);
      g_settings_set_string (self->settings, "server-url", "");
      return;
    }

  uri = kac_sign_in_dialog_check_server_uri (stripped, &message);
  if (uri == NULL)
    {
      mark_server_row (self, TRUE);
      show_central_error (self, message);
      return;
    }

  mark_server_row (self, FALSE);
  show_central_error (self, NULL);
  g_settings_set_string (self->settings, "server-url", uri);
  if (g_strcmp0 (uri, text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), uri);
}

static void
settings_changed_cb (KacPreferencesWindow *self,
                     const char           *key,
                     GSettings            *settings)
{
  if (g_strcmp0 (key, "ca-file") == 0)
    update_ca_file_row (self);
}

static void
ca_chooser_response_cb (KacPreferencesWindow *self,
                        int                   response,
                        GtkNativeDialog      *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GList *certificates;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->ca_chooser);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      show_central_error (self, _("This file is not on this computer. Copy the certificate authority file here first, then choose it."));
      return;
    }

  /* Checked now, so that a wrong file is noticed here and not as a failed sync later. */
  certificates = g_tls_certificate_list_new_from_file (path, &error);
  if (certificates == NULL)
    {
      g_autofree char *message = NULL;

      /* Translators: %s is the reason the file could not be read. */
      message = g_strdup_printf (_("This file holds no certificates in PEM format (%s). Choose the certificate authority file your administrator gave you."),
                                 error != NULL ? error->message : _("it is empty"));
      show_central_error (self, message);
      return;
    }
  g_list_free_full (certificates, g_object_unref);

  show_central_error (self, NULL);
  g_settings_set_string (self->settings, "ca-file", path);
}

static void
choose_ca_file_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *param)
{
  KacPreferencesWindow *self = KAC_PREFERENCES_WINDOW (widget);
  g_autoptr(GtkFileFilter) pem = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autofree char *current = NULL;

  if (self->ca_chooser != NULL)
    return;

  /* The native chooser, so that it is the portal's inside the Flatpak. */
  self->ca_chooser = gtk_file_chooser_native_new (_("Choose the Certificate Authority File"),
                                                  GTK_WINDOW (self),
                                                  GTK_FILE_CHOOSER_ACTION_OPEN,
                                                  _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (pem, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (pem, "*.pem");
  gtk_file_filter_add_pattern (pem, "*.crt");
  gtk_file_filter_add_pattern (pem, "*.cer");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->ca_chooser), pem);
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->ca_chooser), all);

  current = g_strstrip (g_settings_get_string (self->settings, "ca-file"));
  if (*current != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (current);

      gtk_file_chooser_set_file (GTK_FILE_CHOOSER (self->ca_chooser), file, NULL);
    }

  g_signal_connect_object (self->ca_chooser, "response",
                           G_CALLBACK (ca_chooser_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->ca_chooser), TRUE);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->ca_chooser));
}

static void
clear_ca_file_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  KacPreferencesWindow *self = KAC_PREFERENCES_WINDOW (widget);

  g_settings_set_string (self->settings, "ca-file", "");
}

/* GObject overrides */

static void
kac_preferences_window_dispose (GObject *object)
{
  KacPreferencesWindow *self = KAC_PREFERENCES_WINDOW (object);

  if (self->ca_chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->ca_chooser));
      g_clear_object (&self->ca_chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), KAC_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (kac_preferences_window_parent_class)->dispose (object);
}

static void
kac_preferences_window_class_init (KacPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/lv/vpvkac/Desk/kac-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, ca_file_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, central_error_label);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, centre_id_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, centre_kind_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, centre_name_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, clerk_name_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, default_channel_row);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, notifications_switch);
  gtk_widget_class_bind_template_child (widget_class, KacPreferencesWindow, server_url_row);

  gtk_widget_class_install_action (widget_class, "preferences.choose-ca-file", NULL, choose_ca_file_action);
  gtk_widget_class_install_action (widget_class, "preferences.clear-ca-file", NULL, clear_ca_file_action);
}

static void
kac_preferences_window_init (KacPreferencesWindow *self)
{
  g_autoptr(GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) channels = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  for (int i = KAC_CENTRE_KIND_COUNTY; i <= KAC_CENTRE_KIND_NATIONAL; i++)
    gtk_string_list_append (kinds, kac_centre_kind_get_label ((KacCentreKind) i));
  adw_combo_row_set_model (self->centre_kind_row, G_LIST_MODEL (kinds));
  for (int i = 0; i < KAC_CHANNEL_N_VALUES; i++)
    gtk_string_list_append (channels, kac_channel_get_label ((KacChannel) i));
  adw_combo_row_set_model (self->default_channel_row, G_LIST_MODEL (channels));

  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);
  g_settings_bind (self->settings, "centre-id", self->centre_id_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "centre-name", self->centre_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "clerk-name", self->clerk_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications-enabled", self->notifications_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "centre-kind",
                                self->centre_kind_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                centre_kind_get_mapping, centre_kind_set_mapping,
                                NULL, NULL);
  g_settings_bind_with_mapping (self->settings, "default-channel",
                                self->default_channel_row, "selected",
                                G_SETTINGS_BIND_DEFAULT,
                                channel_get_mapping, channel_set_mapping,
                                NULL, NULL);

  /* Shown as it is; written only on "apply" (see server_url_apply_cb). */
  g_settings_bind (self->settings, "server-url", self->server_url_row, "text", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->server_url_row, "apply",
                           G_CALLBACK (server_url_apply_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  update_ca_file_row (self);
}

/* Public API */

KacPreferencesWindow *
kac_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (KAC_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
}
