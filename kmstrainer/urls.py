from django.contrib import admin
from django.urls import include, path

from scenarios import views
from scenarios.throttle import ThrottledLoginView

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("groups/", include("studygroups.urls")),
    path("", include("scenarios.urls")),
]
