from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from kmstrainer.accounts import SignupView
from scenarios import views

# The admin has no log-in of its own: it sends visitors to the site's (allauth's, rate-limited) log-in.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path("editor/completions.json", views.editor_completions, name="editor-completions"),
    path("accounts/signup/", SignupView.as_view(), name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("groups/", include("studygroups.urls")),
    path("", include("scenarios.urls")),
]
