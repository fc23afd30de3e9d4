using Microsoft.EntityFrameworkCore;
using UniLink.Tests.Infrastructure;

namespace UniLink.Tests.Host;

public sealed class MigrationTests
{
    [Fact]
    public void The_migrations_of_this_engine_build_exactly_the_model()
    {
        using var server = new UniLinkServer();
        Assert.False(server.Db(db => db.Database.HasPendingModelChanges()), "the model has changes no migration covers: run scripts/add-migration");
        Assert.Empty(server.Db(db => db.Database.GetPendingMigrations().ToList()));
    }
}
