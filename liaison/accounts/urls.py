from django.contrib.auth import views as auth_views
from django.urls import path

from . import twofactor, views

app_name = "accounts"

urlpatterns = [
    path("login/", twofactor.LoginView.as_view(), name="login"),
    path("login/code/", twofactor.login_code, name="login-code"),
    path("two-factor/", twofactor.two_factor, name="two-factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
]
