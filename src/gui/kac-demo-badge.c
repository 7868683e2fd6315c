/* kac-demo-badge.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Demo" mark in the header bar of a demo window. It is a button, because a trainer needs
 * its popover: who can sign in with which password, the "Simulate network outage" switch and
 * "Reset Demo Data". The switch and the button use the application's demo actions, which
 * exist only in demo mode.
 */
#define G_LOG_DOMAIN "kac-demo-badge"

#include "config.h"

#include "kac-demo-badge.h"

#include <glib/gi18n.h>

#include "kac-demo-data.h"

struct _KacDemoBadge
{
  GtkWidget      parent_instance;

  /* Template widgets */
  GtkMenuButton *menu_button;
  GtkSwitch     *outage_switch;
  GtkPopover    *popover;
  GtkLabel      *users_label;
};

G_DEFINE_FINAL_TYPE (KacDemoBadge, kac_demo_badge, GTK_TYPE_WIDGET)

/* Helpers */

static const char *
describe_role (KacCentralRole role)
{
  switch (role)
    {
    case KAC_CENTRAL_ROLE_CLERK:
      return C_("demo user", "clerk");
    case KAC_CENTRAL_ROLE_MANAGER:
      return C_("demo user", "manager");
    case KAC_CENTRAL_ROLE_INSTITUTION:
      return C_("demo user", "institution");
    case KAC_CENTRAL_ROLE_ADMIN:
    default:
      return C_("demo user", "administrator");
    }
}

static void
fill_users (KacDemoBadge *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  /* Translators: %s is the demo password. The user list follows, one per line. */
  g_string_append_printf (text, _("Sign in with the password “%s” as:"), KAC_DEMO_PASSWORD);
  for (const KacDemoUser *user = kac_demo_data_get_users (); user->username != NULL; user++)
    /* Translators: a user of the demo: user name, full name, role (e.g. "ilze — Ilze
     * Kalniņa, clerk"). */
    g_string_append_printf (text, _("\n• %s — %s, %s"), user->username, user->display_name,
                            describe_role (user->role));

  gtk_label_set_label (self->users_label, text->str);
}

/* GObject overrides */

static void
kac_demo_badge_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), KAC_TYPE_DEMO_BADGE);

  G_OBJECT_CLASS (kac_demo_badge_parent_class)->dispose (object);
}

static void
kac_demo_badge_class_init (KacDemoBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = kac_demo_badge_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/lv/vpvkac/Desk/kac-demo-badge.ui");
  gtk_widget_class_bind_template_child (widget_class, KacDemoBadge, menu_button);
  gtk_widget_class_bind_template_child (widget_class, KacDemoBadge, outage_switch);
  gtk_widget_class_bind_template_child (widget_class, KacDemoBadge, popover);
  gtk_widget_class_bind_template_child (widget_class, KacDemoBadge, users_label);
}

static void
kac_demo_badge_init (KacDemoBadge *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_users (self);
}

/* Public API */

void
kac_demo_badge_popup (KacDemoBadge *self)
{
  g_return_if_fail (KAC_IS_DEMO_BADGE (self));

  gtk_menu_button_popup (self->menu_button);
}

void
kac_demo_badge_popdown (KacDemoBadge *self)
{
  g_return_if_fail (KAC_IS_DEMO_BADGE (self));

  gtk_menu_button_popdown (self->menu_button);
}
